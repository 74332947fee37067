using System;
using System.Linq;
using LossDsl.Utilities;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace LossDsl.Tests.Utilities;

public sealed class OneHotTests
{
    [Fact]
    public void Labels_to_one_hot_and_back()
    {
        int[] labels = [0, 2, 1, 1, 2, 0];
        var hot = OneHot.FromLabels(labels, [2, 3], 3);
        Assert.Equal(new byte[] { 1, 0, 0, 0, 0, 1, 0, 1, 0, /* b1 */ 0, 0, 1, 1, 0, 0, 0, 1, 0 }, hot);
        OneHot.Check<byte>(hot, [2, 3, 3]);
        var probs = hot.Select(v => v * 0.8f + 0.1f).ToArray();
        Assert.Equal(labels, OneHot.Argmax(probs, [2, 3, 3]));
        Assert.Equal(hot.Select(v => (float)v).ToArray(), OneHot.FromProbabilities(probs, [2, 3, 3]));
    }

    [Fact]
    public void Label_out_of_range_says_where()
    {
        var e = Assert.Throws<ArgumentException>(() => OneHot.FromLabels([0, 1, 0, 0, 5, 0], [2, 1, 3], 3));
        Assert.Contains("Label 5 at batch item 1, position (0, 1)", e.Message);
    }

    [Fact]
    public void Check_reports_value_and_count_problems()
    {
        var e1 = Assert.Throws<ArgumentException>(() => OneHot.Check<float>([1, 0, 0.5f, 1], [1, 2, 2]));
        Assert.Contains("value 0.5 at batch item 0, class 1, position (0)", e1.Message);
        var e2 = Assert.Throws<ArgumentException>(() => OneHot.Check<byte>([1, 0, 0, 0], [1, 2, 2]));
        Assert.Contains("batch item 0, position (1), 0 of 2 classes are set (off by -1)", e2.Message);
    }

    [Fact]
    public void Torch_forms_agree_with_span_forms()
    {
        int[] labels = [0, 2, 1, 1, 2, 0];
        using var t = torch.tensor(labels.Select(v => (long)v).ToArray(), [2, 3]);
        using var hot = OneHot.FromLabels(t, 3, ScalarType.Float32);
        Assert.Equal(new long[] { 2, 3, 3 }, hot.shape);
        Assert.Equal(OneHot.FromLabels(labels, [2, 3], 3).Select(v => (float)v).ToArray(), hot.data<float>().ToArray());
        OneHot.Check(hot);
        using var arg = OneHot.Argmax(hot);
        Assert.Equal(labels.Select(v => (long)v).ToArray(), arg.data<long>().ToArray());
        using var back = OneHot.FromProbabilities(hot * 0.5f + 0.1f);
        Assert.Equal(hot.data<float>().ToArray(), back.data<float>().ToArray());
        hot[1, 1, 2] = torch.tensor(1f);
        var e = Assert.Throws<ArgumentException>(() => OneHot.Check(hot));
        Assert.Contains("batch item 1, position (2), 2 of 3 classes are set", e.Message);
        using var bad = torch.tensor(new long[] { 0, 3 }, [1, 2]);
        Assert.Contains("Label 3 at batch item 0, position (1)", Assert.Throws<ArgumentException>(() => OneHot.FromLabels(bad, 3)).Message);
    }
}
