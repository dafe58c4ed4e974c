using System.Runtime.InteropServices;

namespace DeepLearning.IO;

/// <summary>
/// What a path names — a regular file, a folder, a symbolic link, something special (a device, a pipe, a socket) or
/// nothing — read from the file system's own record of it. .NET reports a device or a pipe as an ordinary empty file and a
/// symbolic link's own length, so on Linux this asks the kernel (<c>statx</c>, whose layout is the same on every
/// architecture); elsewhere it falls back to what .NET reports.
/// </summary>
internal enum FileKind
{
    Missing,
    Regular,
    Directory,
    SymbolicLink,
    Special,
}

/// <summary>Reads the <see cref="FileKind"/> of a path.</summary>
internal static partial class FileKinds
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxType = 0x1;
    private static bool _statxMissing;

    /// <summary>What <paramref name="path"/> names; with <paramref name="followLinks"/>, what a chain of symbolic links ends at.</summary>
    public static FileKind Of(string path, bool followLinks)
    {
        if (OperatingSystem.IsLinux() && !_statxMissing)
        {
            try
            {
                Span<byte> buffer = stackalloc byte[256]; // struct statx is 256 bytes
                if (Statx(AtFdCwd, path, followLinks ? 0 : AtSymlinkNoFollow, StatxType, ref MemoryMarshal.GetReference(buffer)) != 0)
                {
                    return FileKind.Missing; // ENOENT, a dangling link, or a path we may not look at: reading it will say which
                }

                int mode = BitConverter.ToUInt16(buffer[28..30]) & 0xF000; // stx_mode's file type
                return mode switch
                {
                    0x8000 => FileKind.Regular,
                    0x4000 => FileKind.Directory,
                    0xA000 => FileKind.SymbolicLink,
                    _ => FileKind.Special,
                };
            }
            catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
            {
                _statxMissing = true; // an old C library: fall back below
            }
        }

        var info = new FileInfo(path);
        if (info.LinkTarget is not null)
        {
            if (!followLinks)
            {
                return FileKind.SymbolicLink;
            }

            try
            {
                return info.ResolveLinkTarget(returnFinalTarget: true) is { } target ? Of(target.FullName, followLinks: false) : FileKind.Missing;
            }
            catch (IOException)
            {
                return FileKind.Missing; // a loop of links
            }
        }

        return Directory.Exists(path) ? FileKind.Directory
            : !info.Exists ? FileKind.Missing
            : info.Length == 0 && path.StartsWith("/dev/", StringComparison.Ordinal) ? FileKind.Special
            : FileKind.Regular;
    }

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int directory, string path, int flags, uint mask, ref byte buffer);
}
