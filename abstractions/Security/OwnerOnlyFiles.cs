namespace Xoscar.Orleans.Security;

/// <summary>
/// Files and folders only their owner can read: keys, secrets and blob bytes must not be readable by the other users
/// of a shared machine. Files are created exclusively (O_EXCL), so that no file or link planted in advance is written
/// through.
/// </summary>
internal static class OwnerOnlyFiles
{
    /// <summary>Read and write for the owner alone (0600).</summary>
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Read, write and search for the owner alone (0700).</summary>
    public const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private const UnixFileMode OthersAccess = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
                                             UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Options that create a new file (never an existing one) with mode 0600.</summary>
    public static FileStreamOptions CreateNew(FileAccess access = FileAccess.Write, FileShare share = FileShare.None, long preallocationSize = 0)
    {
        var options = new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = access, Share = share, PreallocationSize = preallocationSize };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = FileMode;
        return options;
    }

    /// <summary>Writes <paramref name="bytes"/> to a new 0600 file at <paramref name="path"/>, replacing any file there.</summary>
    public static void Write(string path, ReadOnlySpan<byte> bytes)
    {
        File.Delete(path);
        using var stream = new FileStream(path, CreateNew());
        stream.Write(bytes);
    }

    /// <summary>Creates the folder <paramref name="path"/> (and its parents) with mode 0700, or makes an existing one 0700.</summary>
    public static void EnsureFolder(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        Directory.CreateDirectory(path, FolderMode);
        if ((File.GetUnixFileMode(path) & OthersAccess) != 0) File.SetUnixFileMode(path, FolderMode);
    }

    /// <summary>Whether users other than its owner may read the file at <paramref name="path"/>.</summary>
    public static bool OthersCanRead(string path) =>
        !OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead)) != 0;
}
