using System.Globalization;
using System.Numerics;

namespace DeepLearning;

/// <summary>
/// Argument checks shared by every public method of the library, so that the same mistake always gets the same clear
/// message — public, so that a layer, loss or optimizer written outside the library checks its arguments the same way
/// (with <see cref="Losses.Loss.CheckShapes{T}"/> for a loss's tensors). Each returns the value it checked.
/// </summary>
/// <example>
/// <code>
/// public GroupNorm(FeatureShape shape, int groups) : base(shape, shape) => Groups = Preconditions.CheckPositive(groups, nameof(groups));
/// </code>
/// </example>
public static class Preconditions
{
    /// <summary>Throws an <see cref="ArgumentNullException"/> naming <paramref name="parameterName"/> when <paramref name="value"/> is null.</summary>
    /// <typeparam name="T">The argument's type.</typeparam>
    /// <param name="value">The argument.</param>
    /// <param name="parameterName">Its name.</param>
    /// <returns>The argument.</returns>
    public static T CheckNotNull<T>(T? value, string parameterName)
        where T : class
        => value ?? throw new ArgumentNullException(parameterName);

    /// <summary>Throws an <see cref="ArgumentOutOfRangeException"/> unless <paramref name="value"/> is at least 1: "n must be at least 1, but was 0."</summary>
    /// <param name="value">The argument.</param>
    /// <param name="parameterName">Its name.</param>
    /// <returns>The argument.</returns>
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
    /// <param name="rows">The rows.</param>
    /// <param name="columns">The columns.</param>
    /// <param name="what">What the matrix is, for the message: <c>The weight matrix of Dense(784→100)</c>.</param>
    /// <param name="parameterName">The argument that decided the size.</param>
    /// <param name="advice">What to do instead, for the message.</param>
    /// <returns>rows·columns.</returns>
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

    /// <summary>Throws an <see cref="ArgumentOutOfRangeException"/> unless <paramref name="value"/> is 0 or more.</summary>
    /// <param name="value">The argument.</param>
    /// <param name="parameterName">Its name.</param>
    /// <returns>The argument.</returns>
    public static int CheckNonNegative(int value, string parameterName)
    {
        if (value < 0)
        {
            throw new ArgumentOutOfRangeException(parameterName, value, $"{parameterName} must be 0 or more, but was {value}.");
        }

        return value;
    }

    /// <summary>Throws an <see cref="ArgumentOutOfRangeException"/> unless <paramref name="value"/> is a positive finite number (not 0, NaN or ∞).</summary>
    /// <param name="value">The argument.</param>
    /// <param name="parameterName">Its name.</param>
    /// <returns>The argument.</returns>
    public static double CheckPositiveFinite(double value, string parameterName)
    {
        if (!(value > 0) || double.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(parameterName, value, $"{parameterName} must be a positive finite number, but was {Format(value)}.");
        }

        return value;
    }

    /// <summary>Throws an <see cref="ArgumentOutOfRangeException"/> unless <paramref name="value"/> is 0 or a positive finite number (a learning rate a schedule gives).</summary>
    /// <param name="value">The argument.</param>
    /// <param name="parameterName">Its name.</param>
    /// <returns>The argument.</returns>
    public static double CheckNonNegativeFinite(double value, string parameterName)
    {
        if (!(value >= 0) || double.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(parameterName, value, $"{parameterName} must be 0 or more and finite, but was {Format(value)}.");
        }

        return value;
    }

    /// <summary>Throws an <see cref="ArgumentOutOfRangeException"/> unless <paramref name="value"/> is in [<paramref name="minInclusive"/>, <paramref name="maxExclusive"/>).</summary>
    /// <param name="value">The argument.</param>
    /// <param name="minInclusive">The smallest value allowed.</param>
    /// <param name="maxExclusive">The first value too large.</param>
    /// <param name="parameterName">Its name.</param>
    /// <returns>The argument.</returns>
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

    /// <summary>Throws a <see cref="NotSupportedException"/> unless <typeparamref name="T"/> is <see cref="float"/> or <see cref="double"/>, the types MathNet's dense matrices support.</summary>
    /// <typeparam name="T">The element type.</typeparam>
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
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="tensor">The tensor.</param>
    /// <param name="parameterName">Its name.</param>
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

    /// <summary>A number as messages show it: six significant digits, invariant culture (<c>0.1</c>, <c>1E+30</c>, <c>NaN</c>).</summary>
    /// <typeparam name="T">The number's type.</typeparam>
    /// <param name="value">The number.</param>
    /// <returns>The text.</returns>
    public static string Format<T>(T value)
        where T : IFormattable
        => value.ToString("G6", CultureInfo.InvariantCulture);
}
