namespace LossDsl.IO;

/// <summary>Element types of <c>.npy</c> files that LossDsl reads and writes.</summary>
public enum NpyDType
{
    /// <summary><c>|u1</c>: unsigned byte.</summary>
    UInt8,
    /// <summary><c>|b1</c>: numpy bool, one byte, 0 or 1.</summary>
    Bool,
    /// <summary><c>&lt;i4</c>: little-endian 32-bit integer.</summary>
    Int32,
    /// <summary><c>&lt;i8</c>: little-endian 64-bit integer.</summary>
    Int64,
    /// <summary><c>&lt;f4</c>: little-endian IEEE single.</summary>
    Float32,
    /// <summary><c>&lt;f8</c>: little-endian IEEE double.</summary>
    Float64,
}
