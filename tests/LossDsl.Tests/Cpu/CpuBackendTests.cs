using System;
using System.Linq;
using Xunit;

namespace LossDsl.Tests.Cpu;

/// <summary>
/// The generated CPU back end against naive loops (values) and central finite differences (gradients), over the
/// example losses and the acceptance shapes.
/// </summary>
public sealed class CpuBackendTests
{
    public static TheoryData<string, int, int, int[]> Cases()
    {
        var data = new TheoryData<string, int, int, int[]>();
        foreach (var loss in LossCase.All)
        {
            foreach (var row in TestFields.Shapes)
            {
                data.Add(loss.Name, (int)row[0], (int)row[1], (int[])row[2]);
            }
        }

        return data;
    }

    private static LossCase Loss(string name) => LossCase.All.Single(l => l.Name == name);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Double_value_equals_the_naive_loop(string loss, int b, int c, int[] spatial)
    {
        var f = new TestFields(b * 100 + c, b, c, spatial);
        var inputs = Loss(loss).Inputs(f);
        var expected = Loss(loss).Naive(f, inputs);
        var actual = Loss(loss).GeneratedDouble(f, inputs);

        // Both sum the same terms in double, in different orders: 1e-12 relative leaves room for ~1e4 roundings.
        Assert.True(Math.Abs(actual - expected) <= 1e-12 * Math.Max(1, Math.Abs(expected)), $"{loss}: {actual:R} vs naive {expected:R}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Float_value_equals_the_naive_loop(string loss, int b, int c, int[] spatial)
    {
        var f = new TestFields(b * 100 + c, b, c, spatial);
        var inputs = Loss(loss).Inputs(f).Select(x => TestFields.Floats(x).Select(v => (double)v).ToArray()).ToArray();
        var expected = Loss(loss).Naive(f, inputs);
        var actual = Loss(loss).GeneratedFloat(f, inputs);

        // float keeps ~7 digits; vectorized pairwise sums of ≤ 10^4 terms stay within a few ulps of the exact sum.
        Assert.True(Math.Abs(actual - expected) <= 1e-5 * Math.Max(1, Math.Abs(expected)), $"{loss}: {actual:R} vs naive {expected:R}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Gradient_equals_central_finite_differences(string loss, int b, int c, int[] spatial)
    {
        var f = new TestFields(b * 100 + c, b, c, spatial);
        var inputs = Loss(loss).Inputs(f);
        var gradients = inputs.Select(x => new double[x.Length]).ToArray();
        var value = Loss(loss).GeneratedGradient(f, inputs, gradients);
        Assert.Equal(Loss(loss).GeneratedDouble(f, inputs), value, 15);

        var checkedCount = 0;
        var total = 0;
        for (var field = 0; field < inputs.Length; field++)
        {
            var scale = gradients[field].Max(Math.Abs);
            foreach (var i in SampledComponents(f.Count, seed: field))
            {
                total++;
                if (!FiniteDifference(f, Loss(loss), inputs, field, i, 1e-2 * scale, out var numeric))
                {
                    continue; // a kink of min/max/abs/clamp lies within the step: no derivative to compare with
                }

                checkedCount++;

                // 1e-6 relative, floored at 1% of the largest component for components that are exactly 0.
                var tolerance = 1e-6 * Math.Max(Math.Abs(gradients[field][i]), 1e-2 * scale) + 1e-13;
                Assert.True(
                    Math.Abs(numeric - gradients[field][i]) <= tolerance,
                    $"{loss}, field {field}, element {i}: analytic {gradients[field][i]:R}, numeric {numeric:R}");
            }
        }

        Assert.True(checkedCount >= 0.97 * total, $"{loss}: only {checkedCount} of {total} components were smooth enough to check");
    }

    /// <summary>Every component of small fields; 64 fixed random ones of larger fields (six evaluations each).</summary>
    private static int[] SampledComponents(int count, int seed) =>
        count <= 64 ? Enumerable.Range(0, count).ToArray() : Enumerable.Range(0, 64).Select(_ => 0).Select((_, k) => new Random(seed * 1000 + k).Next(count)).ToArray();

    /// <summary>
    /// Central differences extrapolated once (Richardson) at h = 1e-3: truncation O(h⁴) ≈ 1e-12 and rounding
    /// ε·|L|/h ≈ 1e-12, far under the 1e-6 relative tolerance of the components checked. Where the extrapolations
    /// at h and h/2 disagree by more than 0.1%, a kink (min, max, abs, clamp) lies inside the step and there is no
    /// derivative to compare with: returns false.
    /// </summary>
    private static bool FiniteDifference(TestFields f, LossCase loss, double[][] inputs, int field, int i, double floor, out double derivative)
    {
        const double h = 1e-3;
        double Central(double step)
        {
            var x = inputs.Select(a => (double[])a.Clone()).ToArray();
            x[field][i] = inputs[field][i] + step;
            var up = loss.GeneratedDouble(f, x);
            x[field][i] = inputs[field][i] - step;
            var down = loss.GeneratedDouble(f, x);
            return (up - down) / (2 * step);
        }

        var d1 = Central(h);
        var d2 = Central(h / 2);
        var d4 = Central(h / 4);
        derivative = ((4 * d4) - d2) / 3;
        var coarse = ((4 * d2) - d1) / 3;
        return Math.Abs(coarse - derivative) <= (1e-3 * Math.Max(Math.Abs(derivative), floor)) + 1e-10;
    }
}
