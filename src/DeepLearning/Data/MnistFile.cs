namespace DeepLearning.Data;

/// <summary>One of the four files of MNIST, with the MD5 of its published <c>.gz</c> form.</summary>
/// <param name="Name">The file name without <c>.gz</c>, for example <c>train-images-idx3-ubyte</c>.</param>
/// <param name="GzipMd5">The MD5 of <c>Name.gz</c> as published by the MNIST mirrors, lower-case hex.</param>
public sealed record MnistFile(string Name, string GzipMd5)
{
    /// <summary>The name of the compressed file, <c>Name.gz</c>.</summary>
    public string GzipName => Name + ".gz";
}
