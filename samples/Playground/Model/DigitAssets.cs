using DeepLearning.Data;
using DeepLearning.Serialization;
using DeepLearning.Training;

namespace Playground.Model;

/// <summary>
/// What the Digits page fetches from its own site, only when it is opened (the plane page never loads them): the shipped
/// network and a few MNIST images, made by <c>eng/make-playground-digits.sh</c>. Each is fetched once and kept.
/// </summary>
/// <param name="fetch">
/// Fetches a file by its address relative to the playground: in the browser, JavaScript's <c>fetch</c> (through
/// wwwroot/js/digits.js, which keeps .NET's HTTP stack out of the page's first load); in tests, the files themselves.
/// </param>
public sealed class DigitAssets(Func<string, Task<byte[]>> fetch)
{
    /// <summary>The shipped network's address, relative to the playground.</summary>
    public const string ModelPath = "digits/digits-cnn.dlnn";

    private Task<Network<float>>? _model;
    private Task<DataSet<float>>? _test, _training;

    /// <summary>The convolutional network the page reads digits with, trained by the digit trainer (see the script).</summary>
    public Task<Network<float>> ModelAsync() => _model ??= LoadModelAsync();

    /// <summary>The first 200 MNIST test images with their labels (<c>?page=digits&amp;sample=N</c>).</summary>
    public Task<DataSet<float>> TestDigitsAsync() => _test ??= LoadImagesAsync("digits/test-images-idx3-ubyte.gz", "digits/test-labels-idx1-ubyte.gz");

    /// <summary>The first 2,000 training images of the embedded subset, for "train it here".</summary>
    public Task<DataSet<float>> TrainingDigitsAsync() => _training ??= LoadImagesAsync("digits/train-images-idx3-ubyte.gz", "digits/train-labels-idx1-ubyte.gz");

    private async Task<Network<float>> LoadModelAsync()
        => ModelFile.Load<float>(await fetch(ModelPath), ModelPath);

    /// <summary>The library reads IDX files from a path: the fetched bytes go to a temporary file first (memory, in a browser).</summary>
    private async Task<DataSet<float>> LoadImagesAsync(string images, string labels)
    {
        string folder = Path.Combine(Path.GetTempPath(), "playground-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            string imageFile = Path.Combine(folder, Path.GetFileName(images)), labelFile = Path.Combine(folder, Path.GetFileName(labels));
            await File.WriteAllBytesAsync(imageFile, await fetch(images));
            await File.WriteAllBytesAsync(labelFile, await fetch(labels));
            return DataSet<float>.FromImages(IdxFile.ReadImages(imageFile), IdxFile.ReadLabels(labelFile));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
