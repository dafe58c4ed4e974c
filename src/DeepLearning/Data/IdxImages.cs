namespace DeepLearning.Data;

/// <summary>
/// Greyscale images read from an IDX file: <see cref="Count"/> images of <see cref="Height"/>×<see cref="Width"/> bytes
/// (0 = background, 255 = ink for MNIST), stored image after image, row after row.
/// </summary>
/// <param name="Count">The number of images.</param>
/// <param name="Height">The rows of each image (28 for MNIST).</param>
/// <param name="Width">The columns of each image (28 for MNIST).</param>
/// <param name="Pixels">Count·Height·Width bytes; pixel (r, c) of image i is at i·Height·Width + r·Width + c.</param>
public sealed record IdxImages(int Count, int Height, int Width, byte[] Pixels)
{
    /// <summary>The number of pixels per image, Height·Width (784 for MNIST).</summary>
    public int PixelsPerImage => Height * Width;
}
