namespace LossDsl.Testing;

/// <summary>What a loss expects in one of its field arguments; the kit fills each field from a generated
/// <see cref="SegmentationSample"/> accordingly.</summary>
public enum FieldRole
{
    /// <summary>Softmax probabilities <c>(B, C, *S)</c>, a simplex along C (<see cref="SegmentationSample.Probabilities"/>).</summary>
    Probabilities,

    /// <summary>Unnormalised scores <c>(B, C, *S)</c> (<see cref="SegmentationSample.Logits"/>).</summary>
    Logits,

    /// <summary>The one-hot ground truth <c>(B, C, *S)</c> (<see cref="SegmentationSample.Target"/>).</summary>
    Target,

    /// <summary>Signed distance maps of the ground truth, <c>LossDsl.Distance.SignedDistance</c> at unit spacing
    /// (<see cref="SegmentationSample.Distance"/>).</summary>
    SignedDistance,
}

/// <summary>How the generators draw the network's output (logits, and probabilities as their softmax).</summary>
public enum ProbabilityKind
{
    /// <summary>Logits uniform in [−3, 3]: every probability is at least e⁻⁶/C, away from 0 and 1 (right for finite differences).</summary>
    Smooth,

    /// <summary>Confident predictions: the ground-truth class (or, one time in five, another class) gets a logit about 12
    /// above the rest, so probabilities are within about 1e-5 of one-hot.</summary>
    NearOneHot,

    /// <summary>Extreme values, position by position: exact one-hot (logit gaps of 800, so exact zeros), gaps of 40
    /// (probabilities ≈ 4e-18), exactly uniform, or smooth; the confident class is right half of the time.</summary>
    Extreme,
}

/// <summary>What the ground truth of one image of a generated batch contains.</summary>
public enum ObjectKind
{
    /// <summary>One to three ellipsoidal blobs of random foreground classes (later ones drawn over earlier ones).</summary>
    Blobs,

    /// <summary>One small connected object covering at most 0.5% of the pixels (at least one pixel; on images of fewer
    /// than 200 pixels it is a single pixel, which is then more than 0.5%).</summary>
    Tiny,

    /// <summary>No object at all: everything is background (class 0), so every foreground class is missing.</summary>
    Empty,

    /// <summary>One foreground class covers the whole image (no background in view).</summary>
    Full,
}
