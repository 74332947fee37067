using LossDsl.Torch;
using Xunit;

namespace LossDsl.Tests.Torch;

/// <summary>When the process counts as keeping freed memory (which decides the sweeps preference).</summary>
public sealed class CpuAllocatorTests
{
    [Theory]
    [InlineData("glibc.malloc.mmap_threshold=268435456:glibc.malloc.trim_threshold=1073741824", true)]
    [InlineData("glibc.malloc.trim_threshold=1073741824:glibc.malloc.mmap_threshold=33554432", true)]
    [InlineData("glibc.malloc.check=0:glibc.malloc.mmap_threshold=8388608:glibc.malloc.trim_threshold=33554432", true)]
    [InlineData(null, false)]
    [InlineData("", false)]
    [InlineData("glibc.malloc.trim_threshold=1073741824", false)]
    [InlineData("glibc.malloc.mmap_threshold=268435456", false)]
    [InlineData("glibc.malloc.mmap_threshold=131072:glibc.malloc.trim_threshold=1073741824", false)]
    [InlineData("glibc.malloc.mmap_threshold=268435456:glibc.malloc.trim_threshold=65536", false)]
    [InlineData("glibc.malloc.mmap_threshold=lots:glibc.malloc.trim_threshold=1073741824", false)]
    [InlineData("glibc.malloc.mmap_threshold=-1:glibc.malloc.trim_threshold=1073741824", false)]
    public void GLIBC_TUNABLES_counts_when_it_fixes_both_thresholds_high(string? tunables, bool keeps)
        => Assert.Equal(keeps, CpuAllocator.TunablesKeepFreedMemory(tunables));

    [Fact]
    public void The_test_seam_overrides_the_process_setting_on_this_thread_only()
    {
        var process = CpuAllocator.KeepsFreedMemory;
        CpuAllocator.Assumed = !process;
        try
        {
            Assert.Equal(!process, CpuAllocator.KeepsFreedMemory);
            var other = process;
            var thread = new System.Threading.Thread(() => other = CpuAllocator.KeepsFreedMemory);
            thread.Start();
            thread.Join();
            Assert.Equal(process, other);
        }
        finally
        {
            CpuAllocator.Assumed = null;
        }
    }
}
