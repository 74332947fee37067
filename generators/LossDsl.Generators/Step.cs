using System;

namespace LossDsl.Generators;

/// <summary>
/// The value of one step of the source pipeline for one loss, or the exception that stopped it (its type and message:
/// equatable, unlike the exception). Later steps pass a failure on unchanged; the last one reports it as LD0011.
/// </summary>
/// <param name="Value">The step's value, or null after a failure.</param>
/// <param name="Loss">The loss's full name, for the diagnostic.</param>
/// <param name="ErrorType">The exception's type name after a failure, else empty.</param>
/// <param name="ErrorMessage">The exception's message after a failure, else empty.</param>
internal sealed record Step<T>(T? Value, string Loss, string ErrorType = "", string ErrorMessage = "")
    where T : class
{
    public static Step<T> Of(T value, string loss) => new(value, loss);

    /// <summary>Applies the next step to the value, catching what it throws (cancellation excepted).</summary>
    public Step<TNext> Then<TNext>(Func<T, TNext> next)
        where TNext : class
    {
        if (Value is null)
        {
            return new Step<TNext>(null, Loss, ErrorType, ErrorMessage);
        }

        try
        {
            return new Step<TNext>(next(Value), Loss);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return new Step<TNext>(null, Loss, exception.GetType().Name, exception.Message);
        }
    }
}
