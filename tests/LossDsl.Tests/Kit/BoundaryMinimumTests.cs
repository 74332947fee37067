using System;
using System.Linq;
using FsCheck;
using FsCheck.Xunit;
using LossDsl.Testing;

namespace LossDsl.Tests.Kit;

/// <summary>
/// The boundary loss's minimum over simplex predictions (REFERENCE.md): for every p on the simplex L_B(p) ≥ L_B(y),
/// with equality at p = y (y attains the exact minimum, computed position by position), and that minimum is ≤ 0 and
/// equals the mean of φ over the object, i.e. Σ_{b, k∈idc} Σ_{x: y=k} φ_k(x) / (B·|idc|·|Ω|). Checked for three class
/// lists: the foreground, every class, and the last class alone.
/// </summary>
public sealed class BoundaryMinimumTests
{
    private static int[][] ClassLists(int classes) =>
        [Enumerable.Range(1, classes - 1).ToArray(), Enumerable.Range(0, classes).ToArray(), [classes - 1]];

    private static double Boundary(double[] probs, double[] dist, SegmentationShape shape, int[] idc)
        => SegmentationLosses.BoundaryCpu(LossUnderTest.Span(probs, shape.Dims), LossUnderTest.Span(dist, shape.Dims), idc);

    private static bool Close(double a, double b) => Math.Abs(a - b) <= 1e-12 * Math.Max(1, Math.Abs(b));

    [Property(MaxTest = 100)]
    public Property Boundary_at_any_simplex_prediction_is_at_least_its_value_at_the_ground_truth()
        => LossProperties.ForAll(SampleOptions.Default, sample =>
        {
            foreach (var idc in ClassLists(sample.Shape.Classes))
            {
                double atP = Boundary(sample.Probabilities, sample.Distance, sample.Shape, idc);
                double atY = Boundary(sample.Target, sample.Distance, sample.Shape, idc);
                if (!(atP >= atY - 1e-12))
                    throw new LossPropertyException($"idc [{string.Join(", ", idc)}]: L_B(p) = {atP:R} < L_B(y) = {atY:R}");
            }
        });

    [Property(MaxTest = 100)]
    public Property The_ground_truth_attains_the_exact_minimum_over_the_simplex()
        => LossProperties.ForAll(SampleOptions.Default, sample =>
        {
            var shape = sample.Shape;
            foreach (var idc in ClassLists(shape.Classes))
            {
                // min over the simplex of Σ_{k∈idc} p_k φ_k at one position: all mass on the smallest φ_k, or on a class
                // outside idc (contributing 0) when there is one.
                double minimum = 0;
                bool someClassOutside = idc.Length < shape.Classes;
                for (int b = 0; b < shape.Batch; b++)
                {
                    for (int x = 0; x < shape.Plane; x++)
                    {
                        double best = idc.Min(k => sample.Distance[shape.Index(b, k, x)]);
                        minimum += someClassOutside ? Math.Min(0, best) : best;
                    }
                }

                minimum /= (double)shape.Batch * idc.Length * shape.Plane;
                double atY = Boundary(sample.Target, sample.Distance, shape, idc);
                if (!Close(atY, minimum))
                    throw new LossPropertyException($"idc [{string.Join(", ", idc)}]: L_B(y) = {atY:R} but the minimum over the simplex is {minimum:R}");
            }
        });

    [Property(MaxTest = 100)]
    public Property The_minimum_is_non_positive_and_the_mean_of_phi_over_the_object()
        => LossProperties.ForAll(SampleOptions.Default, sample =>
        {
            var shape = sample.Shape;
            var labels = sample.Labels;
            foreach (var idc in ClassLists(shape.Classes))
            {
                double atY = Boundary(sample.Target, sample.Distance, shape, idc);
                double overObject = 0;
                for (int b = 0; b < shape.Batch; b++)
                {
                    for (int x = 0; x < shape.Plane; x++)
                    {
                        int k = labels[(b * shape.Plane) + x];
                        if (idc.Contains(k)) overObject += sample.Distance[shape.Index(b, k, x)];
                    }
                }

                overObject /= (double)shape.Batch * idc.Length * shape.Plane;
                if (!(atY <= 0))
                    throw new LossPropertyException($"idc [{string.Join(", ", idc)}]: the minimum L_B(y) = {atY:R} is positive");
                if (!Close(atY, overObject))
                    throw new LossPropertyException($"idc [{string.Join(", ", idc)}]: L_B(y) = {atY:R} but Σ φ over the object / (B·|idc|·|Ω|) = {overObject:R}");
            }
        });
}
