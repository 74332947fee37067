using TorchSharp;
using Xunit;

namespace LossDsl.Tests.Platform;

/// <summary>
/// TorchSharp's native library needs GLIBCXX_3.4.32, which Debian 12 lacks; Directory.Build.targets
/// marks that need weak in the output copy. This test fails if the patch stops working.
/// </summary>
public sealed class TorchSharpLoadTests
{
    [Fact]
    public void TorchSharp_loads_and_computes()
    {
        using var t = torch.arange(1, 11, dtype: torch.float64);
        using var sum = t.sum();
        Assert.Equal(55.0, sum.item<double>());
    }
}
