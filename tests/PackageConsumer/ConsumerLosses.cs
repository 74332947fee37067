using LossDsl;
using static LossDsl.Dsl;

namespace PackageConsumer;

// Declared in a file without `using TorchSharp;`: TorchSharp has a Scalar type too, and the two would be ambiguous.
/// <summary>A loss of the consumer's own, compiled by the generator that came inside the LossDsl package.</summary>
public static partial class ConsumerLosses
{
    /// <summary>Smoothed soft Dice: 1 − (2·Σp·y + s)/(Σp + Σy + s) per image and class, averaged.</summary>
    [Loss]
    public static Scalar SmoothDice(Field probs, Field target, float smooth = 1f)
        => Mean(1 - (2 * SumSpatial(probs * target) + smooth) / (SumSpatial(probs) + SumSpatial(target) + smooth));
}
