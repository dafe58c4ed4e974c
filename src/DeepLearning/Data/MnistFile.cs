namespace DeepLearning.Data;

/// <summary>
/// One of the four files of MNIST, with what is published about it: the MD5 and size of its <c>.gz</c> form and the MD5
/// of its uncompressed (raw IDX) form, so that either form found in a cache can be verified before use.
/// </summary>
/// <param name="Name">The file name without <c>.gz</c>, for example <c>train-images-idx3-ubyte</c>.</param>
/// <param name="GzipMd5">The MD5 of <c>Name.gz</c> as published by the MNIST mirrors, lower-case hex.</param>
/// <param name="GzipSize">The size of <c>Name.gz</c> in bytes, or null when unknown; a download is refused as soon as it
/// announces or delivers another size.</param>
/// <param name="RawMd5">The MD5 of the uncompressed file, lower-case hex, or null when unknown (then a raw file in a cache
/// cannot be verified and is not used from it).</param>
public sealed record MnistFile(string Name, string GzipMd5, long? GzipSize = null, string? RawMd5 = null)
{
    /// <summary>The name of the compressed file, <c>Name.gz</c>.</summary>
    public string GzipName => Name + ".gz";
}
