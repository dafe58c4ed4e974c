using System.Numerics;

namespace DeepLearning.Data;

/// <summary>
/// The MNIST handwritten digits (Yann LeCun, Corinna Cortes and Christopher J. C. Burges): 60,000 training and 10,000 test
/// images of 28×28 grey pixels with their digit. Loads the four standard IDX files from a folder, raw or gzip-compressed.
/// </summary>
/// <remarks>See <see cref="MnistDownloader"/> to fetch the files into <see cref="DefaultCacheDirectory"/>.</remarks>
public static class Mnist
{
    /// <summary>The side of an MNIST image in pixels.</summary>
    public const int ImageSize = 28;

    /// <summary>The four files, with the MD5 of each published <c>.gz</c> file.</summary>
    public static IReadOnlyList<MnistFile> Files { get; } =
    [
        new("train-images-idx3-ubyte", "f68b3c2dcbeaaa9fbdd348bbdeb94873"),
        new("train-labels-idx1-ubyte", "d53e105ee54ea40749a09fcbcd1e9432"),
        new("t10k-images-idx3-ubyte", "9fb629c4189551a2d022fa330f9573f3"),
        new("t10k-labels-idx1-ubyte", "ec29112dd5afa0611ce80d1b7f02629c"),
    ];

    /// <summary>
    /// The folder where downloaded MNIST files are kept: <c>$XDG_CACHE_HOME/deeplearning/mnist</c>, or
    /// <c>~/.cache/deeplearning/mnist</c> when XDG_CACHE_HOME is not set.
    /// </summary>
    public static string DefaultCacheDirectory
    {
        get
        {
            string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            string root = !string.IsNullOrWhiteSpace(xdg) && Path.IsPathRooted(xdg)
                ? xdg
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
            return Path.Combine(root, "deeplearning", "mnist");
        }
    }

    /// <summary>Whether <paramref name="directory"/> holds all four files (each raw or <c>.gz</c>).</summary>
    /// <param name="directory">The folder.</param>
    /// <returns><see langword="true"/> when every file is there.</returns>
    public static bool IsComplete(string directory)
        => Directory.Exists(directory) && Files.All(f => FindFile(directory, f) is not null);

    /// <summary>Loads the training and test sets from a folder holding the four standard files, raw or <c>.gz</c>.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="directory">The folder.</param>
    /// <returns>The training and test sets, pixels scaled to [0, 1].</returns>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">A file is missing; the message names it.</exception>
    /// <exception cref="InvalidDataException">A file is corrupt, images are not 28×28, a label is not a digit, or image and label counts differ.</exception>
    public static MnistData<T> Load<T>(string directory)
        where T : struct, IFloatingPointIeee754<T>
    {
        Preconditions.CheckNotNull(directory, nameof(directory));
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"MNIST folder '{directory}' does not exist.");
        }

        return new MnistData<T>(LoadPair<T>(directory, Files[0], Files[1]), LoadPair<T>(directory, Files[2], Files[3]));
    }

    private static DataSet<T> LoadPair<T>(string directory, MnistFile imagesFile, MnistFile labelsFile)
        where T : struct, IFloatingPointIeee754<T>
    {
        string imagesPath = Require(directory, imagesFile);
        string labelsPath = Require(directory, labelsFile);
        IdxImages images = IdxFile.ReadImages(imagesPath);
        byte[] labels = IdxFile.ReadLabels(labelsPath);
        string imagesName = Path.GetFileName(imagesPath), labelsName = Path.GetFileName(labelsPath);
        if (images.Height != ImageSize || images.Width != ImageSize)
        {
            throw new InvalidDataException($"{imagesName}: images are {images.Height}×{images.Width}, expected MNIST's {ImageSize}×{ImageSize}.");
        }

        if (images.Count != labels.Length)
        {
            throw new InvalidDataException($"{imagesName} holds {images.Count} images but {labelsName} holds {labels.Length} labels; the counts must match.");
        }

        if (images.Count == 0)
        {
            throw new InvalidDataException($"{imagesName} holds no images.");
        }

        int bad = Array.FindIndex(labels, l => l > 9);
        if (bad >= 0)
        {
            throw new InvalidDataException($"{labelsName}: label {labels[bad]} at index {bad} is not a digit 0–9.");
        }

        return DataSet<T>.FromImages(images, labels, 10);
    }

    private static string Require(string directory, MnistFile file)
        => FindFile(directory, file) ?? throw new FileNotFoundException(
            $"MNIST folder '{directory}' has no {file.Name} (nor {file.GzipName}).", Path.Combine(directory, file.Name));

    private static string? FindFile(string directory, MnistFile file)
    {
        string raw = Path.Combine(directory, file.Name);
        if (File.Exists(raw))
        {
            return raw;
        }

        string gz = Path.Combine(directory, file.GzipName);
        return File.Exists(gz) ? gz : null;
    }
}
