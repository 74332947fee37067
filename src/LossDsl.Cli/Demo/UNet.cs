using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace LossDsl.Cli.Demo;

/// <summary>
/// A small 2-D U-Net (Ronneberger et al. 2015) with three resolution levels: two 3×3 conv–batch-norm–ReLU layers per
/// level, max-pooling down, transposed convolutions up, skip connections by concatenation, a 1×1 head giving one logit
/// per class. With <c>width</c> = 8 it has ≈ 30 k parameters: enough for the synthetic task, small enough for a CPU.
/// </summary>
internal sealed class UNet : Module<Tensor, Tensor>
{
    private readonly Sequential _down1, _down2, _bottom, _up2, _up1;
    private readonly ConvTranspose2d _lift2, _lift1;
    private readonly Conv2d _head;
    private readonly MaxPool2d _pool;

    public UNet(int inChannels, int classes, int width) : base(nameof(UNet))
    {
        _down1 = Block(inChannels, width);
        _down2 = Block(width, 2 * width);
        _bottom = Block(2 * width, 4 * width);
        _lift2 = ConvTranspose2d(4 * width, 2 * width, kernel_size: 2, stride: 2);
        _up2 = Block(4 * width, 2 * width);
        _lift1 = ConvTranspose2d(2 * width, width, kernel_size: 2, stride: 2);
        _up1 = Block(2 * width, width);
        _head = Conv2d(width, classes, kernel_size: 1);
        _pool = MaxPool2d(kernel_size: 2);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        Tensor d1 = _down1.forward(input);
        Tensor d2 = _down2.forward(_pool.forward(d1));
        Tensor bottom = _bottom.forward(_pool.forward(d2));
        Tensor u2 = _up2.forward(cat([_lift2.forward(bottom), d2], 1));
        Tensor u1 = _up1.forward(cat([_lift1.forward(u2), d1], 1));
        return _head.forward(u1).MoveToOuterDisposeScope();
    }

    private static Sequential Block(int inChannels, int outChannels) => Sequential(
        Conv2d(inChannels, outChannels, kernel_size: 3, padding: 1, bias: false),
        BatchNorm2d(outChannels),
        ReLU(),
        Conv2d(outChannels, outChannels, kernel_size: 3, padding: 1, bias: false),
        BatchNorm2d(outChannels),
        ReLU());

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _down1.Dispose();
            _down2.Dispose();
            _bottom.Dispose();
            _lift2.Dispose();
            _up2.Dispose();
            _lift1.Dispose();
            _up1.Dispose();
            _head.Dispose();
            _pool.Dispose();
        }
        base.Dispose(disposing);
    }
}
