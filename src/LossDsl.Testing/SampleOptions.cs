using System;
using System.Linq;

namespace LossDsl.Testing;

/// <summary>
/// What the sample generator draws: ranks, size ranges, kinds of prediction and of ground truth. Immutable; derive
/// variants with C# <c>with</c> or the <c>With…</c> methods (F#).
/// </summary>
/// <remarks>
/// Sizes grow with FsCheck's size parameter (from the minimum at size 0 to the maximum at size 100), so the first
/// tests are small. A kind listed several times is drawn proportionally more often.
/// </remarks>
public sealed record SampleOptions
{
    /// <summary>Spatial ranks to draw from (2 = images, 3 = volumes).</summary>
    public int[] Ranks { get; init; } = [2, 3];

    /// <summary>Smallest batch size.</summary>
    public int MinBatch { get; init; } = 1;

    /// <summary>Largest batch size.</summary>
    public int MaxBatch { get; init; } = 3;

    /// <summary>Smallest number of classes (at least 1; 2 or more for any foreground object).</summary>
    public int MinClasses { get; init; } = 2;

    /// <summary>Largest number of classes.</summary>
    public int MaxClasses { get; init; } = 4;

    /// <summary>Smallest spatial size along each axis.</summary>
    public int MinSide { get; init; } = 2;

    /// <summary>Largest spatial size along each axis of an image.</summary>
    public int MaxSide2D { get; init; } = 24;

    /// <summary>Largest spatial size along each axis of a volume.</summary>
    public int MaxSide3D { get; init; } = 8;

    /// <summary>The kinds of prediction to draw from (one per image).</summary>
    public ProbabilityKind[] Probabilities { get; init; } = [ProbabilityKind.Smooth, ProbabilityKind.Smooth, ProbabilityKind.NearOneHot, ProbabilityKind.Extreme];

    /// <summary>The kinds of ground truth to draw from (one per image).</summary>
    public ObjectKind[] Objects { get; init; } = [ObjectKind.Blobs, ObjectKind.Blobs, ObjectKind.Blobs, ObjectKind.Tiny, ObjectKind.Empty];

    /// <summary>The default mix: 2D and 3D, B 1–3, C 2–4, all prediction kinds, blobs, tiny objects and empty images.</summary>
    public static SampleOptions Default { get; } = new();

    /// <summary>Smooth predictions only (probabilities away from 0 and 1): for finite differences.</summary>
    public static SampleOptions Smooth { get; } = new() { Probabilities = [ProbabilityKind.Smooth] };

    /// <summary>
    /// The edges: extreme and near-one-hot predictions; tiny objects, empty images and whole-image classes as often
    /// as blobs; images of at least 15×15 (volumes 6×6×6), so that tiny objects are at most 0.5% of the pixels.
    /// </summary>
    public static SampleOptions Extreme { get; } = new()
    {
        MinSide2D = 15,
        MinSide3D = 6,
        MaxSide2D = 28,
        Probabilities = [ProbabilityKind.Extreme, ProbabilityKind.Extreme, ProbabilityKind.NearOneHot],
        Objects = [ObjectKind.Blobs, ObjectKind.Tiny, ObjectKind.Tiny, ObjectKind.Empty, ObjectKind.Full],
    };

    /// <summary>Smallest side of images; defaults to <see cref="MinSide"/> when 0.</summary>
    public int MinSide2D { get; init; }

    /// <summary>Smallest side of volumes; defaults to <see cref="MinSide"/> when 0.</summary>
    public int MinSide3D { get; init; }

    /// <summary>These options with another batch range.</summary>
    public SampleOptions WithBatch(int min, int max) => this with { MinBatch = min, MaxBatch = max };

    /// <summary>These options with another class range.</summary>
    public SampleOptions WithClasses(int min, int max) => this with { MinClasses = min, MaxClasses = max };

    /// <summary>These options with other spatial ranks.</summary>
    public SampleOptions WithRanks(params int[] ranks) => this with { Ranks = ranks };

    /// <summary>These options with other prediction kinds.</summary>
    public SampleOptions WithProbabilities(params ProbabilityKind[] kinds) => this with { Probabilities = kinds };

    /// <summary>These options with other ground-truth kinds.</summary>
    public SampleOptions WithObjects(params ObjectKind[] kinds) => this with { Objects = kinds };

    /// <summary>These options with other largest sides (images, volumes).</summary>
    public SampleOptions WithMaxSides(int maxSide2D, int maxSide3D) => this with { MaxSide2D = maxSide2D, MaxSide3D = maxSide3D };

    /// <summary>Throws unless the options are consistent.</summary>
    /// <exception cref="ArgumentException">An empty list, a rank other than 1–3, or a range with min &gt; max or min &lt; 1.</exception>
    public void Validate()
    {
        if (Ranks is null || Ranks.Length == 0 || Ranks.Any(r => r is < 1 or > 3))
            throw new ArgumentException($"{nameof(Ranks)} must list spatial ranks in 1…3; got [{string.Join(", ", Ranks ?? [])}].");
        Range(nameof(MinBatch), MinBatch, MaxBatch);
        Range(nameof(MinClasses), MinClasses, MaxClasses);
        Range(nameof(MinSide), SideMin(2), MaxSide2D);
        Range(nameof(MinSide), SideMin(3), MaxSide3D);
        if (Probabilities is null || Probabilities.Length == 0)
            throw new ArgumentException($"{nameof(Probabilities)} must list at least one kind.");
        if (Objects is null || Objects.Length == 0)
            throw new ArgumentException($"{nameof(Objects)} must list at least one kind.");
    }

    /// <summary>The smallest side for a spatial rank.</summary>
    internal int SideMin(int rank) => rank == 3 ? (MinSide3D > 0 ? MinSide3D : MinSide) : (rank == 2 && MinSide2D > 0 ? MinSide2D : MinSide);

    /// <summary>The largest side for a spatial rank.</summary>
    internal int SideMax(int rank) => rank == 3 ? MaxSide3D : MaxSide2D;

    private static void Range(string name, int min, int max)
    {
        if (min < 1 || min > max)
            throw new ArgumentException($"{name}: expected 1 ≤ min ≤ max; got min {min}, max {max}.");
    }
}
