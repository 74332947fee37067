using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace LossDsl.Cli.Demo;

/// <summary>
/// Adam (Kingma and Ba; the update of torch.optim.Adam without weight decay or AMSGrad), with every scalar it hands to
/// libtorch held alive for the duration of the call. TorchSharp 0.107's own Adam passes temporary <see cref="TorchSharp.Scalar"/>s
/// made by implicit conversion; once the call has read a temporary's handle nothing references it, and a garbage
/// collection during the native call lets its finalizer free the native scalar while libtorch still reads it ("Unknown
/// scalar type", seen here when two trainings shared a process; BatchNorm has the same pattern, which is why the
/// trainings now run in processes of their own, <see cref="DemoWorkers"/>). This optimizer removes the most frequent
/// such call site from the training step.
/// </summary>
internal sealed class DemoAdam : IDisposable
{
    private readonly Tensor[] _parameters;
    private readonly Tensor[] _average;
    private readonly Tensor[] _averageSquare;
    private readonly TorchSharp.Scalar _beta1, _oneMinusBeta1, _beta2, _oneMinusBeta2;
    private readonly double _b1, _b2, _epsilon;
    private long _step;

    public DemoAdam(IEnumerable<Tensor> parameters, double learningRate, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
    {
        _parameters = parameters.ToArray();
        _average = _parameters.Select(p => torch.zeros_like(p).DetachFromDisposeScope()).ToArray();
        _averageSquare = _parameters.Select(p => torch.zeros_like(p).DetachFromDisposeScope()).ToArray();
        (_b1, _b2, _epsilon) = (beta1, beta2, epsilon);
        _beta1 = beta1.ToScalar();
        _oneMinusBeta1 = (1 - beta1).ToScalar();
        _beta2 = beta2.ToScalar();
        _oneMinusBeta2 = (1 - beta2).ToScalar();
        LearningRate = learningRate;
    }

    /// <summary>The learning rate of the next steps (the trainer's cosine schedule sets it per epoch).</summary>
    public double LearningRate { get; set; }

    public void ZeroGrad()
    {
        foreach (Tensor p in _parameters)
        {
            using Tensor? grad = p.grad;
            grad?.zero_();
        }
    }

    /// <summary>One update of every parameter that has a gradient.</summary>
    public void Step()
    {
        _step++;
        double correction1 = 1 - Math.Pow(_b1, _step), correction2 = 1 - Math.Pow(_b2, _step);
        using var noGrad = torch.no_grad();
        using TorchSharp.Scalar one = 1.0.ToScalar();
        using TorchSharp.Scalar root2 = Math.Sqrt(correction2).ToScalar();
        using TorchSharp.Scalar epsilon = _epsilon.ToScalar();
        using TorchSharp.Scalar stepSize = (-LearningRate / correction1).ToScalar();
        for (int i = 0; i < _parameters.Length; i++)
        {
            using Tensor? grad = _parameters[i].grad;
            if (grad is null)
                continue;
            _average[i].mul_(_beta1).add_(grad, _oneMinusBeta1);
            _averageSquare[i].mul_(_beta2).addcmul_(grad, grad, _oneMinusBeta2);
            using Tensor denominator = _averageSquare[i].sqrt();
            denominator.div_(root2).add_(epsilon, one);
            _parameters[i].addcdiv_(_average[i], denominator, stepSize);
        }
        GC.KeepAlive(this);
    }

    public void Dispose()
    {
        foreach (Tensor t in _average.Concat(_averageSquare))
            t.Dispose();
        _beta1.Dispose();
        _oneMinusBeta1.Dispose();
        _beta2.Dispose();
        _oneMinusBeta2.Dispose();
    }
}
