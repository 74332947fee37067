// Written by LossDsl.Generators.Tests (TorchRandomLossesFileTests) from RandomLossSource, seeds 1–120:
// the random losses of the differential test, for its TorchSharp half. Regenerate with LOSSDSL_UPDATE_SNAPSHOTS=1.
using LossDsl;
using static LossDsl.Dsl;

namespace LossDsl.Tests.Differential;

public static partial class RandomLosses
{
    [Loss] public static Scalar Helper(Field a, Field b) => Mean(a * Sigmoid(b));

    [Loss] public static Scalar L1(Field f0, int[] idc, double h = 0.75)
    {
        return Sum(Pow(1 + Square((f0 + f0)), h));
    }

    [Loss] public static Scalar L2(Field f0, Field f1, Field f2, Field f3, int[] idc, double h = 0.75)
    {
        var t0 = (0.56 + f0);
        return Mean((-f0));
    }

    [Loss] public static Scalar L3(Field f0, Field f1, int[] idc, double h = 0.75)
    {
        var t0 = Sqrt(1 + Square(f0));
        var t1 = Sigmoid((f1 + f0));
        return Mean(Sqrt(1 + Square(Max(MeanSpatial(Select(f1, idc)), -0.2))));
    }

    [Loss] public static Scalar L4(Field f0, Field f1, Field f2, Field f3, int[] idc, double h = 0.75)
    {
        var t0 = (Sum(f0) * 1);
        var t1 = ((f2 - f2) + Softmax((h * f2)));
        return Sum((t1 * t0)) + 0.5 * Helper(f0, f3);
    }

    [Loss] public static Scalar L5(Field f0, Field f1, int[] idc, double h = 0.75)
    {
        return Mean((SumClasses((1.2 + f0)) + Select(f0, idc)));
    }

    [Loss] public static Scalar L6(Field f0, Field f1, Field f2, Field f3, int[] idc, double h = 0.75)
    {
        var t0 = Select((0.84 + f3), idc);
        return Sum((Softmax(Abs(f1)) + (f0 - f1))) + 0.5 * Helper(f0, f1);
    }

    [Loss] public static Scalar L7(Field f0, Field f1, int[] idc, double h = 0.75)
    {
        var t0 = (-f1);
        var t1 = (((h * f0) / (1 + Square(f0))) + ((h * f0) - f0));
        return Mean(t0) + 0.5 * Helper(f0, f0);
    }

    [Loss] public static Scalar L8(Field f0, Field f1, Field f2, Field f3, int[] idc, double h = 0.75)
    {
        return Sum(Select(f1, idc));
    }

    [Loss] public static Scalar L9(Field f0, Field f1, int[] idc, double h = 0.75)
    {
        var t0 = f0;
        return Mean(t0);
    }

    [Loss] public static Scalar L10(Field f0, Field f1, Field f2, Field f3, int[] idc, double h = 0.75)
    {
        var t0 = Log(1 + Square(Max(f1, -0.2)));
        var t1 = (Mean(f2) * 0.32);
        return Sum(((t1 + t0) * t1));
    }

    [Loss] public static Scalar L11(Field f0, Field f1, int[] idc, double h = 0.75)
    {
        return Sum((f1 + Square(f0)));
    }

    [Loss] public static Scalar L12(Field f0, Field f1, Field f2, Field f3, int[] idc, double h = 0.75)
    {
        var t0 = f2;
        return Mean((t0 - t0));
    }

    [Loss] public static Scalar L13(Field f0, Field f1, Field f2, int[] idc, double h = 0.75)
    {
        var t0 = SumClasses((f2 / (1 + Square((0.32 + f1)))));
        return Sum(Min(t0, t0)) + 0.5 * Helper(f0, f1);
    }

    [Loss] public static Scalar L14(Field f0, int[] idc, double h = 0.75)
    {
        var t0 = Select(Exp(Sigmoid(f0)), idc);
        var t1 = (Sqrt(1 + Square(f0)) * Sum(f0));
        return Sum((Sigmoid((f0 - f0)) * t1));
    }

    [Loss] public static Scalar L15(Field f0, Field f1, Field f2, int[] idc, double h = 0.75)
    {
        return Sum(Min((f1 - (h * f2)), Exp(Sigmoid(f1))));
    }

    [Loss] public static Scalar L16(Field f0, int[] idc, double h = 0.75)
    {
        var t0 = Select(Square(f0), idc);
        return Mean((1.04 + f0));
    }

    [Loss] public static Scalar L17(Field f0, Field f1, Field f2, int[] idc, double h = 0.75)
    {
        var t0 = MaxSpatial((h * f1));
        var t1 = f2;
        return Sum((((SumSpatial(f0) / (1 + Square(f2))) * t0) / (1 + Square(t1)))) + 0.5 * Helper(f1, f1);
    }

    [Loss] public static Scalar L18(Field f0, int[] idc, double h = 0.75)
    {
        return Sum(Log(1 + Square(Select(f0, idc))));
    }

    [Loss] public static Scalar L19(Field f0, Field f1, Field f2, int[] idc, double h = 0.75)
    {
        var t0 = f2;
        return Mean(t0);
    }

    [Loss] public static Scalar L20(Field f0, int[] idc, double h = 0.75)
    {
        var t0 = (Min(f0, f0) * Step(Min(f0, f0)));
        var t1 = Square(Log(1 + Square(f0)));
        return Mean(Min((t1 + t0), t1));
    }

    [Loss] public static Scalar L21(Field f0, Field f1, Field f2, int[] idc, double h = 0.75)
    {
        var t0 = Pow(1 + Square(f2), h);
        var t1 = Square(f2);
        return Mean(Max(Min(t1, t0), t1));
    }

    [Loss] public static Scalar L22(Field f0, int[] idc, double h = 0.75)
    {
        return Sum((f0 - f0));
    }

    [Loss] public static Scalar L23(Field f0, Field f1, Field f2, int[] idc, double h = 0.75)
    {
        var t0 = Min(Log(1 + Square(f1)), Softmax(f0));
        return Mean((((h * f1) - f2) * MeanSpatial(f2))) + 0.5 * Helper(f0, f0);
    }

    [Loss] public static Scalar L24(Field f0, Field f1, int[] idc, double h = 0.75)
    {
        var t0 = Sum(f1);
        var t1 = (0.38 + f0);
        return Mean(Min((0.58 + f1), t1));
    }

    [Loss] public static Scalar L25(Field f0, Field f1, Field f2, Field f3, int[] idc, double h = 0.75)
    {
        return Sum(Sigmoid(f1)) + 0.5 * Helper(f1, f2);
    }

    [Loss] public static Scalar L26(Field f0, Field f1, int[] idc, double h = 0.75)
    {
        var t0 = Select((0.81 + f0), idc);
        return Sum((t0 / (1 + Square(t0)))) + 0.5 * Helper(f0, f1);
    }

    [Loss] public static Scalar L27(Field f0, Field f1, Field f2, Field f3, int[] idc, double h = 0.75)
    {
        var t0 = ((-f0) * SumSpatial(f0));
        var t1 = Pow(1 + Square((f1 * f1)), h);
        return Mean(Max(Max(t0, t0), t1));
    }

    [Loss] public static Scalar L28(Field f0, Field f1, int[] idc, double h = 0.75)
    {
        return Sum(LogSoftmax(Select(f0, idc)));
    }

    [Loss] public static Scalar L29(Field f0, Field f1, Field f2, Field f3, int[] idc, double h = 0.75)
    {
        return Sum(Max(f3, (1.22 + f2)));
    }

    [Loss] public static Scalar L30(Field f0, Field f1, int[] idc, double h = 0.75)
    {
        var t0 = Sum(Pow(1 + Square(f1), 1.5));
        return (t0 + t0);
    }

    [Loss] public static Scalar L31(Field f0, Field f1, Field f2, Field f3, int[] idc, double h = 0.75)
    {
        var t0 = (f2 * Sigmoid((h * f2)));
        var t1 = SumSpatial(Log(1 + Square(f3)));
        return Sum((Sigmoid(MaxClasses(f1)) * t0));
    }

    [Loss] public static Scalar L32(Field f0, Field f1, int[] idc, double h = 0.75)
    {
        return Mean(Log(1 + Square(f1)));
    }

    [Loss] public static Scalar L33(Field f0, Field f1, Field f2, Field f3, int[] idc, double h = 0.75)
    {
        var t0 = Log(1 + Square(Mean(f1)));
        return (t0 - t0);
    }

    [Loss] public static Scalar L34(Field f0, Field f1, int[] idc, double h = 0.75)
    {
        var t0 = Select(Sigmoid(f0), idc);
        var t1 = (h * f0);
        return Mean((t0 / (1 + Square(t0))));
    }

    [Loss] public static Scalar L35(Field f0, int[] idc, double h = 0.75)
    {
        return Sum(f0) + 0.5 * Helper(f0, f0);
    }

    [Loss] public static Scalar L36(Field f0, Field f1, Field f2, int[] idc, double h = 0.75)
    {
        var t0 = MeanSpatial((-f0));
        return Mean((f1 + Sqrt(1 + Square(Sum(f1)))));
    }

    [Loss] public static Scalar L37(Field f0, int[] idc, double h = 0.75)
    {
        var t0 = MaxClasses((-(0.73 + f0)));
        var t1 = MaxBatch((f0 / (1 + Square(f0))));
        return Mean(((f0 / (1 + Square(f0))) + t0));
    }

    [Loss] public static Scalar L38(Field f0, Field f1, Field f2, int[] idc, double h = 0.75)
    {
        var t0 = Sigmoid((f2 - f2));
        var t1 = Exp(Sigmoid((f2 + f2)));
        return Mean(((t0 / (1 + Square(t0))) + t1));
    }

    [Loss] public static Scalar L39(Field f0, int[] idc, double h = 0.75)
    {
        return Sum(Abs((h * f0)));
    }

    [Loss] public static Scalar L40(Field f0, Field f1, Field f2, int[] idc, double h = 0.75)
    {
        var t0 = (f1 - Sum((1.01 + f0)));
        return Sum((Max(f2, f1) - t0));
    }

    [Loss] public static Scalar L41(Field f0, int[] idc, double h = 0.75)
    {
        var t0 = (-Sqrt(1 + Square(f0)));
        var t1 = f0;
        return Sum(t1) + 0.5 * Helper(f0, f0);
    }

    [Loss] public static Scalar L42(Field f0, Field f1, Field f2, int[] idc, double h = 0.75)
    {
        return Mean((f0 / (1 + Square(f0))));
    }

    [Loss] public static Scalar L43(Field f0, int[] idc, double h = 0.75)
    {
        var t0 = (-Exp(Sigmoid(f0)));
        return Mean(t0) + 0.5 * Helper(f0, f0);
    }

    [Loss] public static Scalar L44(Field f0, Field f1, Field f2, int[] idc, double h = 0.75)
    {
        var t0 = Softmax(MeanBatch(f0));
        var t1 = Clamp(((h * f1) - f1), -0.5, 0.5);
        return Sum((Min((h * f2), (-f1)) - t1));
    }

    [Loss] public static Scalar L45(Field f0, int[] idc, double h = 0.75)
    {
        return Mean(f0) + 0.5 * Helper(f0, f0);
    }

    [Loss] public static Scalar L46(Field f0, Field f1, Field f2, Field f3, int[] idc, double h = 0.75)
    {
        return Sum(Softmax(Min(Exp(Sigmoid(Log(1 + Square(f2)))), 0.3))) + 0.5 * Helper(f2, f3);
    }

    [Loss] public static Scalar L47(Field f0, Field f1, int[] idc, double h = 0.75)
    {
        var t0 = Exp(Sigmoid((f1 * f1)));
        return Sum(Pow(1 + Square(Select(((0.31 + f1) * Step((0.31 + f1))), idc)), h));
    }

    [Loss] public static Scalar L48(Field f0, Field f1, Field f2, Field f3, int[] idc, double h = 0.75)
    {
        var t0 = Min(LogSoftmax((h * f2)), MeanBatch(f3));
        var t1 = (Sigmoid((0.87 + f0)) * LogSoftmax(f0));
        return Mean((t1 - t0));
    }

    [Loss] public static Scalar L49(Field f0, Field f1, int[] idc, double h = 0.75)
    {
        return Sum(f0) + 0.5 * Helper(f0, f0);
    }

    [Loss] public static Scalar L50(Field f0, Field f1, Field f2, Field f3, int[] idc, double h = 0.75)
    {
        var t0 = Exp(Sigmoid(Pow(1 + Square(f1), h)));
        return Mean((Max(f1, f3) + t0));
    }

    [Loss] public static Scalar L51(Field f0, Field f1, int[] idc, double h = 0.75)
    {
        var t0 = Sqrt(1 + Square((f0 + f0)));
        var t1 = Pow(1 + Square(f1), h);
        return Sum((t0 * t1));
    }

    [Loss] public static Scalar L52(Field f0, Field f1, Field f2, Field f3, int[] idc, double h = 0.75)
    {
        return Sum(Log(1 + Square(f0)));
    }

    [Loss] public static Scalar L53(Field f0, Field f1, int[] idc, double h = 0.75)
    {
        var t0 = Sqrt(1 + Square(Sum(f1)));
        return Mean((Sigmoid(f0) / (1 + Square(t0))));
    }

    [Loss] public static Scalar L54(Field f0, Field f1, Field f2, Field f3, int[] idc, double h = 0.75)
    {
        var t0 = Sigmoid(f2);
        return Sum(f2);
    }

    [Loss] public static Scalar L55(Field f0, Field f1, int[] idc, double h = 0.75)
    {
        var t0 = (SumSpatial(f1) - Softmax((h * f0)));
        var t1 = Sigmoid(f1);
        return Mean(((t0 + t0) / (1 + Square(t1))));
    }

    [Loss] public static Scalar L56(Field f0, Field f1, Field f2, Field f3, int[] idc, double h = 0.75)
    {
        return Mean(LogSoftmax((-Exp(Sigmoid((f3 + f0))))));
    }

    [Loss] public static Scalar L57(Field f0, Field f1, Field f2, int[] idc, double h = 0.75)
    {
        var t0 = (-(-(0.7 + f1)));
        return Sum(t0) + 0.5 * Helper(f2, f1);
    }

    [Loss] public static Scalar L58(Field f0, int[] idc, double h = 0.75)
    {
        var t0 = MeanSpatial(Max(f0, f0));
        var t1 = (Log(1 + Square(f0)) - Sqrt(1 + Square(f0)));
        return Mean(Max(Square(Sqrt(1 + Square(LogSoftmax(f0)))), t1));
    }

    [Loss] public static Scalar L59(Field f0, Field f1, Field f2, int[] idc, double h = 0.75)
    {
        return Mean((h * f0)) + 0.5 * Helper(f0, f0);
    }

    [Loss] public static Scalar L60(Field f0, int[] idc, double h = 0.75)
    {
        var t0 = Pow(1 + Square((f0 - f0)), h);
        return Mean(MaxSpatial(f0));
    }

    [Loss] public static Scalar L61(Field f0, Field f1, Field f2, int[] idc, double h = 0.75)
    {
        var t0 = (-Log(1 + Square(f2)));
        var t1 = Sum(SumClasses(f0));
        return Sqrt(1 + Square(((Mean(f1) * 0.73) * 0.46)));
    }

    [Loss] public static Scalar L62(Field f0, int[] idc, double h = 0.75)
    {
        return Mean(f0);
    }

    [Loss] public static Scalar L63(Field f0, Field f1, Field f2, int[] idc, double h = 0.75)
    {
        return Mean(f1) + 0.5 * Helper(f2, f1);
    }

    [Loss] public static Scalar L64(Field f0, int[] idc, double h = 0.75)
    {
        var t0 = (MeanClasses(f0) / (1 + Square(MaxBatch(f0))));
        return Sum(Max(f0, MaxBatch(Pow(1 + Square(f0), 1.5)))) + 0.5 * Helper(f0, f0);
    }

    [Loss] public static Scalar L65(Field f0, Field f1, Field f2, int[] idc, double h = 0.75)
    {
        var t0 = Square((-f1));
        var t1 = f0;
        return Mean(((t0 - t0) - t1));
    }

    [Loss] public static Scalar L66(Field f0, int[] idc, double h = 0.75)
    {
        return Sum(SumClasses(f0));
    }

    [Loss] public static Scalar L67(Field f0, Field f1, Field f2, int[] idc, double h = 0.75)
    {
        var t0 = ((f0 / (1 + Square(f0))) * (f2 - f1));
        return Mean((t0 * t0)) + 0.5 * Helper(f0, f2);
    }

    [Loss] public static Scalar L68(Field f0, Field f1, int[] idc, double h = 0.75)
    {
        var t0 = MeanClasses((0.62 + f1));
        var t1 = MaxBatch(Max(f0, f0));
        return Sum((MaxBatch((f0 - f1)) * t0));
    }

    [Loss] public static Scalar L69(Field f0, Field f1, Field f2, Field f3, int[] idc, double h = 0.75)
    {
        return Sum(Sigmoid(Sqrt(1 + Square((f2 + f1)))));
    }

    [Loss] public static Scalar L70(Field f0, Field f1, int[] idc, double h = 0.75)
    {
        var t0 = MeanClasses(Sqrt(1 + Square((h * f1))));
        return Sum((t0 / (1 + Square(t0))));
    }

    [Loss] public static Scalar L71(Field f0, Field f1, Field f2, Field f3, int[] idc, double h = 0.75)
    {
        var t0 = ((f2 - f3) + Clamp(f2, -0.5, 0.5));
        return Sum(((Exp(Sigmoid((h * f2))) / (1 + Square(Abs(f1)))) / (1 + Square(t0))));
    }

    [Loss] public static Scalar L72(Field f0, Field f1, int[] idc, double h = 0.75)
    {
        var t0 = (0.73 + f1);
        var t1 = f1;
        return Mean(Sigmoid((1.25 + f0)));
    }

    [Loss] public static Scalar L73(Field f0, Field f1, Field f2, Field f3, int[] idc, double h = 0.75)
    {
        return Sum(f1) + 0.5 * Helper(f0, f0);
    }

    [Loss] public static Scalar L74(Field f0, Field f1, int[] idc, double h = 0.75)
    {
        var t0 = SumClasses(Square(f0));
        return Sum((((Min(f1, f1) * MaxSpatial(f1)) / (1 + Square((h * f0)))) - (0.52 + f0)));
    }

    [Loss] public static Scalar L75(Field f0, Field f1, Field f2, Field f3, int[] idc, double h = 0.75)
    {
        var t0 = f0;
        var t1 = f0;
        return Mean((t1 + t1));
    }

    [Loss] public static Scalar L76(Field f0, Field f1, int[] idc, double h = 0.75)
    {
        return Mean(Sigmoid((Sqrt(1 + Square(Sqrt(1 + Square(f0)))) / (1 + Square((f0 / (1 + Square(f1))))))));
    }

    [Loss] public static Scalar L77(Field f0, Field f1, Field f2, Field f3, int[] idc, double h = 0.75)
    {
        var t0 = MaxSpatial(Square((0.66 + f3)));
        return Sum(t0);
    }

    [Loss] public static Scalar L78(Field f0, Field f1, int[] idc, double h = 0.75)
    {
        var t0 = Min((f1 + f1), 0.3);
        var t1 = f1;
        return Sum(((Sqrt(1 + Square(Exp(Sigmoid(f1)))) * t0) + t1));
    }

    [Loss] public static Scalar L79(Field f0, Field f1, Field f2, Field f3, int[] idc, double h = 0.75)
    {
        var t0 = (Pow(1 + Square((h * f2)), 1.5) / (1 + Square(Max(f0, f1))));
        var t1 = (Softmax(f2) + Min(f2, 0.3));
        return Mean((t0 + t0));
    }

    [Loss] public static Scalar L80(Field f0, Field f1, Field f2, int[] idc, double h = 0.75)
    {
        return Sum((Square((f1 / (1 + Square(f0)))) * Softmax(Sqrt(1 + Square(f2)))));
    }

    [Loss] public static Scalar L81(Field f0, int[] idc, double h = 0.75)
    {
        var t0 = Square(Exp(Sigmoid(f0)));
        return Sum(MaxBatch(f0)) + 0.5 * Helper(f0, f0);
    }

    [Loss] public static Scalar L82(Field f0, Field f1, Field f2, int[] idc, double h = 0.75)
    {
        var t0 = f0;
        var t1 = Select(MaxSpatial(f0), idc);
        return Sum((t0 + t0)) + 0.5 * Helper(f2, f2);
    }

    [Loss] public static Scalar L83(Field f0, int[] idc, double h = 0.75)
    {
        return Mean((Log(1 + Square(f0)) * Sum(((f0 / (1 + Square(f0))) / (1 + Square((f0 - (0.37 + f0))))))));
    }

    [Loss] public static Scalar L84(Field f0, Field f1, Field f2, int[] idc, double h = 0.75)
    {
        var t0 = Min(MeanSpatial(f2), 0.3);
        return Mean((t0 + t0)) + 0.5 * Helper(f0, f2);
    }

    [Loss] public static Scalar L85(Field f0, int[] idc, double h = 0.75)
    {
        var t0 = f0;
        var t1 = (MaxBatch(f0) + f0);
        return Mean(Max(f0, f0)) + 0.5 * Helper(f0, f0);
    }

    [Loss] public static Scalar L86(Field f0, Field f1, Field f2, int[] idc, double h = 0.75)
    {
        return Sum(MeanClasses(f1));
    }

    [Loss] public static Scalar L87(Field f0, int[] idc, double h = 0.75)
    {
        var t0 = (f0 - f0);
        return Mean(t0);
    }

    [Loss] public static Scalar L88(Field f0, Field f1, Field f2, int[] idc, double h = 0.75)
    {
        var t0 = (MaxClasses((0.59 + f1)) - f0);
        return Mean(LogSoftmax(f1)) + 0.5 * Helper(f1, f0);
    }

    [Loss] public static Scalar L89(Field f0, int[] idc, double h = 0.75)
    {
        var t0 = Max((f0 + f0), SumBatch(f0));
        var t1 = Select(LogSoftmax(f0), idc);
        return Mean((Square(f0) * t0));
    }

    [Loss] public static Scalar L90(Field f0, Field f1, Field f2, int[] idc, double h = 0.75)
    {
        return Sum(MaxClasses(Select(Sigmoid(f1), idc)));
    }

    [Loss] public static Scalar L91(Field f0, Field f1, int[] idc, double h = 0.75)
    {
        var t0 = Log(1 + Square(Sum(f0)));
        return Sum((((h * f1) * f0) - t0));
    }

    [Loss] public static Scalar L92(Field f0, Field f1, Field f2, Field f3, int[] idc, double h = 0.75)
    {
        var t0 = f2;
        var t1 = Exp(Sigmoid(f1));
        return Sum((t0 - t1)) + 0.5 * Helper(f0, f3);
    }

    [Loss] public static Scalar L93(Field f0, Field f1, int[] idc, double h = 0.75)
    {
        return Mean(Square((h * f1)));
    }

    [Loss] public static Scalar L94(Field f0, Field f1, Field f2, Field f3, int[] idc, double h = 0.75)
    {
        var t0 = MeanBatch((-f2));
        return Sum(((Log(1 + Square(Min(f2, 0.3))) / (1 + Square(((h * f3) * (1.18 + f3))))) - t0));
    }

    [Loss] public static Scalar L95(Field f0, Field f1, int[] idc, double h = 0.75)
    {
        var t0 = (h * f0);
        var t1 = MaxBatch(Pow(1 + Square(f1), 1.5));
        return Sum(Max(Softmax(Square((h * f0))), t0));
    }

    [Loss] public static Scalar L96(Field f0, Field f1, Field f2, Field f3, int[] idc, double h = 0.75)
    {
        var t0 = (f1 - (-(h * f2)));
        var t1 = Sqrt(1 + Square((0.77 + f0)));
        return Mean(((t1 + t0) - t1)) + 0.5 * Helper(f1, f2);
    }

    [Loss] public static Scalar L97(Field f0, Field f1, int[] idc, double h = 0.75)
    {
        return Sum(Sigmoid(f0)) + 0.5 * Helper(f1, f0);
    }

    [Loss] public static Scalar L98(Field f0, Field f1, Field f2, Field f3, int[] idc, double h = 0.75)
    {
        var t0 = Max((f0 - f0), f2);
        return Sum(t0);
    }

    [Loss] public static Scalar L99(Field f0, Field f1, int[] idc, double h = 0.75)
    {
        var t0 = Log(1 + Square(Sigmoid((0.51 + f0))));
        var t1 = Clamp((f1 - f1), -0.5, 0.5);
        return Sum((Log(1 + Square(f0)) + t0));
    }

    [Loss] public static Scalar L100(Field f0, Field f1, Field f2, Field f3, int[] idc, double h = 0.75)
    {
        return Sum((Min(Pow(1 + Square(f2), 1.5), (f1 / (1 + Square(f3)))) + (SumBatch((h * f3)) - f2)));
    }

    [Loss] public static Scalar L101(Field f0, Field f1, int[] idc, double h = 0.75)
    {
        var t0 = Exp(Sigmoid((h * f1)));
        return Sum(t0);
    }

    [Loss] public static Scalar L102(Field f0, int[] idc, double h = 0.75)
    {
        var t0 = f0;
        var t1 = Clamp((f0 / (1 + Square(f0))), -0.5, 0.5);
        return Mean(Max((h * f0), f0));
    }

    [Loss] public static Scalar L103(Field f0, Field f1, Field f2, int[] idc, double h = 0.75)
    {
        return Mean((Exp(Sigmoid(Sqrt(1 + Square(f2)))) / (1 + Square(Exp(Sigmoid(f1))))));
    }

    [Loss] public static Scalar L104(Field f0, int[] idc, double h = 0.75)
    {
        return Sum(MaxBatch(f0));
    }

    [Loss] public static Scalar L105(Field f0, Field f1, Field f2, int[] idc, double h = 0.75)
    {
        var t0 = (0.57 + f1);
        return Sum(Min((0.69 + f1), f1));
    }

    [Loss] public static Scalar L106(Field f0, int[] idc, double h = 0.75)
    {
        var t0 = LogSoftmax(f0);
        var t1 = f0;
        return Sum((t1 + t1));
    }

    [Loss] public static Scalar L107(Field f0, Field f1, Field f2, int[] idc, double h = 0.75)
    {
        return Sum((Log(1 + Square((h * f0))) + f0));
    }

    [Loss] public static Scalar L108(Field f0, int[] idc, double h = 0.75)
    {
        var t0 = Square(MeanBatch((0.55 + f0)));
        return Mean((Pow(1 + Square(Exp(Sigmoid(SumBatch(f0)))), 1.5) * Square(Square(f0)))) + 0.5 * Helper(f0, f0);
    }

    [Loss] public static Scalar L109(Field f0, Field f1, Field f2, int[] idc, double h = 0.75)
    {
        var t0 = MeanClasses((f2 - f1));
        var t1 = f0;
        return Mean(SumBatch(Clamp(Sigmoid(f1), -0.5, 0.5))) + 0.5 * Helper(f0, f2);
    }

    [Loss] public static Scalar L110(Field f0, int[] idc, double h = 0.75)
    {
        return Mean((h * f0));
    }

    [Loss] public static Scalar L111(Field f0, Field f1, Field f2, int[] idc, double h = 0.75)
    {
        var t0 = (SumBatch(f1) / (1 + Square((f0 - f2))));
        return Sum((t0 / (1 + Square(t0))));
    }

    [Loss] public static Scalar L112(Field f0, int[] idc, double h = 0.75)
    {
        var t0 = f0;
        var t1 = MaxClasses(f0);
        return Log(1 + Square((Mean((0.96 + f0)) * 1.17))) + 0.5 * Helper(f0, f0);
    }

    [Loss] public static Scalar L113(Field f0, Field f1, Field f2, Field f3, int[] idc, double h = 0.75)
    {
        var t0 = (SumSpatial(f1) + Pow(1 + Square(f2), 1.5));
        var t1 = (f0 + (f2 * f0));
        return Mean((t1 * t1));
    }

    [Loss] public static Scalar L114(Field f0, Field f1, int[] idc, double h = 0.75)
    {
        return Mean(Pow(1 + Square(SumBatch(f1)), 1.5)) + 0.5 * Helper(f1, f1);
    }

    [Loss] public static Scalar L115(Field f0, Field f1, Field f2, Field f3, int[] idc, double h = 0.75)
    {
        var t0 = f0;
        return Mean((t0 + t0)) + 0.5 * Helper(f2, f1);
    }

    [Loss] public static Scalar L116(Field f0, Field f1, int[] idc, double h = 0.75)
    {
        var t0 = (-(f1 + f0));
        var t1 = Max(MaxBatch(f0), MeanClasses(f0));
        return Sum((f1 - f0));
    }

    [Loss] public static Scalar L117(Field f0, Field f1, Field f2, Field f3, int[] idc, double h = 0.75)
    {
        return Mean(Sigmoid((h * f1)));
    }

    [Loss] public static Scalar L118(Field f0, Field f1, int[] idc, double h = 0.75)
    {
        var t0 = MaxClasses((f1 / (1 + Square(f1))));
        return Sum((Select((h * f0), idc) / (1 + Square(t0))));
    }

    [Loss] public static Scalar L119(Field f0, Field f1, Field f2, Field f3, int[] idc, double h = 0.75)
    {
        var t0 = Sum(Sigmoid((0.47 + f2)));
        var t1 = Pow(1 + Square(Sqrt(1 + Square(f1))), h);
        return Mean((Log(1 + Square(Abs(f2))) - t0));
    }

    [Loss] public static Scalar L120(Field f0, Field f1, int[] idc, double h = 0.75)
    {
        return Sum(f0);
    }
}
