using System;
using System.Linq;
using LossDsl.Torch;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace LossDsl.Tests.Torch;

/// <summary>Memory hygiene and training: no tensor outlives its use; a generated loss trains a small network.</summary>
[Collection(TorchCollection.Name)]
public sealed class TorchLifetimeTests
{
    private static readonly int[] Idc = { 1, 2 };

    private static void ForwardBackward(TorchCase loss, Tensor[] inputs)
    {
        // The gradients accumulate into the inputs' .grad tensors, in place after the first call.
        using var value = loss.Fused(inputs, Idc);
        value.backward();
    }

    [Theory]
    [InlineData("GdlBoundary", false, TorchPath.Passes)]
    [InlineData("GdlBoundary", true, TorchPath.Passes)]
    [InlineData("Rebalanced", false, TorchPath.Passes)]
    [InlineData("GdlBoundary", false, TorchPath.Aten)]
    [InlineData("GdlBoundary", true, TorchPath.Aten)]
    [InlineData("Rebalanced", false, TorchPath.Aten)]
    public void Live_tensor_count_is_the_same_before_and_after_1000_forward_backward_calls(string name, bool insideScope, TorchPath path)
        => TorchPaths.On(path, () => NoTensorOutlivesItsUse(name, insideScope));

    private static void NoTensorOutlivesItsUse(string name, bool insideScope)
    {
        var loss = TorchCase.Named(name);
        var inputs = loss.Inputs(new long[] { 2, 4, 6, 5 }, ScalarType.Float32, seed: 9);
        try
        {
            inputs[0].requires_grad_(true);
            inputs[^1].requires_grad_(true);
            ForwardBackward(loss, inputs); // creates the .grad tensors once
            FusedOps.ReleaseDeferred();
            GC.Collect(); // tensors other code left to the finalizer must not be counted as ours
            GC.WaitForPendingFinalizers();
            var before = Tensor.TotalCount;
            for (var i = 0; i < 1000; i++)
            {
                if (insideScope)
                {
                    using var scope = torch.NewDisposeScope();
                    ForwardBackward(loss, inputs);
                }
                else
                {
                    ForwardBackward(loss, inputs);
                }
            }

            FusedOps.ReleaseDeferred();
            Assert.Equal(before, Tensor.TotalCount);
        }
        finally
        {
            foreach (var input in inputs)
            {
                input.Dispose();
            }
        }
    }

    [Fact]
    public void The_returned_tensor_belongs_to_the_callers_dispose_scope()
    {
        var loss = TorchCase.Named("Boundary");
        var inputs = loss.Inputs(new long[] { 2, 4, 5, 5 }, ScalarType.Float32, seed: 9);
        Tensor value;
        using (var scope = torch.NewDisposeScope())
        {
            value = loss.Fused(inputs, Idc);
            Assert.True(scope.Contains(value));
        }

        Assert.True(value.IsInvalid);
        foreach (var input in inputs)
        {
            input.Dispose();
        }
    }

    [Fact]
    public void A_tiny_convolutional_net_trained_with_a_generated_loss_lowers_it()
    {
        torch.manual_seed(1);
        using var net = nn.Sequential(
            ("conv1", nn.Conv2d(1, 8, 3, padding: 1)),
            ("relu", nn.ReLU()),
            ("conv2", nn.Conv2d(8, 3, 1)));
        using var optimizer = optim.Adam(net.parameters(), 0.05);
        using var data = torch.NewDisposeScope();

        // A disc (class 1) and a bar (class 2) on background (class 0); the image shows them with noise.
        var ys = torch.arange(16).view(16, 1).expand(16, 16).to_type(ScalarType.Float32);
        var xs = torch.arange(16).view(1, 16).expand(16, 16).to_type(ScalarType.Float32);
        var disc = ((ys - 5).square() + (xs - 5).square()).le(9);
        var bar = ys.ge(11) & xs.ge(3) & xs.le(12);
        var labels = torch.zeros(16, 16, ScalarType.Int64).masked_fill(disc, 1).masked_fill(bar, 2);
        var target = nn.functional.one_hot(labels, 3).permute(2, 0, 1).unsqueeze(0).to_type(ScalarType.Float32).expand(2, 3, 16, 16).contiguous();
        var image = (labels.to_type(ScalarType.Float32) / 2 + torch.randn(2, 1, 16, 16) * 0.1).contiguous();
        var dist = (1 - 2 * target).contiguous(); // +1 outside each class, −1 inside: a crude signed map

        double Step()
        {
            using var scope = torch.NewDisposeScope();
            optimizer.zero_grad();
            var logits = net.forward(image);
            var loss = TorchLosses.GdlBoundary(logits, target, dist, Idc, 0.1f);
            loss.backward();
            optimizer.step();
            return loss.ToDouble();
        }

        var first = Step();
        var last = first;
        for (var i = 0; i < 60; i++)
        {
            last = Step();
        }

        Assert.True(last < 0.7 * first, $"loss went from {first} to {last}");
    }
}
