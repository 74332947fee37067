using System;
using System.Runtime;
using LossDsl.Cli.Demo;
using Xunit;

namespace LossDsl.Cli.Tests;

/// <summary>Runs alone (no other test allocates meanwhile): a no-GC region is process-wide.</summary>
[CollectionDefinition(nameof(ProcessWideGc), DisableParallelization = true)]
public sealed class ProcessWideGc;

/// <summary>The demo worker's pause of garbage collections around each batch (the TorchSharp scalar workaround).</summary>
[Collection(nameof(ProcessWideGc))]
public sealed class CollectionPauseTests
{
    [Fact]
    public void A_pause_holds_off_collections_until_it_ends()
    {
        int before;
        using (CollectionPause.Begin(enabled: true))
        {
            before = GC.CollectionCount(0);
            for (int i = 0; i < 2000; i++)
                GC.KeepAlive(new byte[1000]);

            Assert.Equal(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
            Assert.Equal(before, GC.CollectionCount(0));
        }
        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
    }

    [Fact]
    public void A_disabled_pause_changes_nothing()
    {
        using (CollectionPause.Begin(enabled: false))
            Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
    }
}
