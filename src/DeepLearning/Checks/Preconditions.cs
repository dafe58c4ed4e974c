using System.Globalization;
using System.Numerics;

namespace DeepLearning;

/// <summary>
/// Argument checks shared by every public method, so that the same mistake always gets the same
/// clear message. Internals assume these checks have passed.
/// </summary>
internal static class Preconditions
{
    public static T CheckNotNull<T>(T? value, string parameterName)
        where T : class
        => value ?? throw new ArgumentNullException(parameterName);

    public static int CheckPositive(int value, string parameterName)
    {
        if (value <= 0)
        {
            throw new ArgumentOutOfRangeException(parameterName, value, $"{parameterName} must be at least 1, but was {value}.");
        }

        return value;
    }

    /// <summary>
    /// The number of elements of a <paramref name="rows"/>×<paramref name="columns"/> matrix, computed with checked 64-bit
    /// arithmetic; throws an <see cref="ArgumentOutOfRangeException"/> naming <paramref name="what"/> when it exceeds the
    /// largest .NET array (<see cref="Array.MaxLength"/> elements), so that no allocation or native call ever sees a wrapped size.
    /// </summary>
    public static int CheckElementCount(long rows, long columns, string what, string parameterName, string advice = "use fewer neurons or smaller batches")
    {
        long count = checked(rows * columns);
        if (rows < 0 || columns < 0 || count > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(
                parameterName,
                count,
                string.Create(CultureInfo.InvariantCulture, $"{what} would be {rows:N0}×{columns:N0} = {count:N0} elements, more than the {Array.MaxLength:N0} a .NET array can hold; {advice}."));
        }

        return (int)count;
    }

    public static int CheckNonNegative(int value, string parameterName)
    {
        if (value < 0)
        {
            throw new ArgumentOutOfRangeException(parameterName, value, $"{parameterName} must be 0 or more, but was {value}.");
        }

        return value;
    }

    public static double CheckPositiveFinite(double value, string parameterName)
    {
        if (!(value > 0) || double.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(parameterName, value, $"{parameterName} must be a positive finite number, but was {Format(value)}.");
        }

        return value;
    }

    public static double CheckInRange(double value, double minInclusive, double maxExclusive, string parameterName)
    {
        if (!(value >= minInclusive && value < maxExclusive))
        {
            throw new ArgumentOutOfRangeException(
                parameterName,
                value,
                $"{parameterName} must be in [{Format(minInclusive)}, {Format(maxExclusive)}), but was {Format(value)}.");
        }

        return value;
    }

    /// <summary>Throws unless <typeparamref name="T"/> is <see cref="float"/> or <see cref="double"/>, the types MathNet's dense matrices support.</summary>
    public static void CheckElementType<T>()
    {
        if (typeof(T) != typeof(double) && typeof(T) != typeof(float))
        {
            throw new NotSupportedException(
                $"Element type {typeof(T).Name} is not supported: use double (exact, for gradient checks and hand examples) or float (fast, for training).");
        }
    }

    /// <summary>
    /// Throws an <see cref="ArgumentException"/> when a tensor holds NaN or an infinity, naming the first bad element.
    /// </summary>
    public static void CheckFinite<T>(Tensor<T> tensor, string parameterName)
        where T : struct, IFloatingPointIeee754<T>
    {
        if (tensor.TryFindNonFinite(out int row, out int column))
        {
            throw new ArgumentException(
                $"{parameterName} contains {Format(tensor[row, column])} at row {row}, column {column} (sample {row}, feature {column}); training data must be finite numbers.",
                parameterName);
        }
    }

    public static string Format<T>(T value)
        where T : IFormattable
        => value.ToString("G6", CultureInfo.InvariantCulture);
}
