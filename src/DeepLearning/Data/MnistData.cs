using System.Numerics;

namespace DeepLearning.Data;

/// <summary>MNIST as two data sets: images as rows of 784 pixels in [0, 1], one-hot digit targets.</summary>
/// <typeparam name="T">float or double.</typeparam>
/// <param name="Training">The training images (60,000 in the full set).</param>
/// <param name="Test">The test images (10,000).</param>
public sealed record MnistData<T>(DataSet<T> Training, DataSet<T> Test)
    where T : struct, IFloatingPointIeee754<T>;
