namespace Q2Google.IO;

/// <summary>
/// The folders q2google keeps logins and journals in. Anyone who can write such a folder could swap a file in
/// it (a link to a file of yours, another login), so a folder that belongs to someone else or that group or
/// others may write is refused, with the fix. Renames in it are made durable by fsyncing the folder itself.
/// </summary>
internal static class PrivateDirectory
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Creates the folder 0700 when missing, else checks it; takes group/other read access away from a folder of ours.</summary>
    /// <param name="what">How to call it in messages: "state folder", "config folder".</param>
    /// <param name="option">The option that picks another one, for the fix: "--state-dir".</param>
    public static void Ensure(string path, string what, string option)
    {
        if (!Directory.Exists(path))
        {
            try
            {
                Directory.CreateDirectory(path, OwnerOnly);
            }
            catch (UnauthorizedAccessException)
            {
                throw new UnsafeFileException($"cannot create the {what} {path}: permission denied; give {option} a folder you can write");
            }
            catch (IOException e)
            {
                throw new UnsafeFileException($"cannot create the {what} {path}: {e.Message}; give {option} a folder you can write");
            }
        }

        var status = Check(path, what, option);
        if (status.ReadableByOthers)
        {
            // Ours, and only its read bits: session URLs and upload tokens are nobody else's business.
            File.SetUnixFileMode(path, (UnixFileMode)status.Permissions & OwnerOnly);
        }
    }

    /// <summary>Checks an existing folder (nothing is created or changed); returns its status.</summary>
    public static FileStatus Check(string path, string what, string option)
    {
        if (FileStatus.TryOf(path, followLinks: true, out var errno) is not { } status)
        {
            throw new UnsafeFileException($"cannot use the {what} {path}: {Posix.Describe(errno)}");
        }

        if (status.Kind != FileKind.Directory) throw new UnsafeFileException($"the {what} {path} is {status.Kind.Describe()}, not a folder; give {option} a folder");
        var me = Posix.Geteuid();
        if (status.Owner != me)
        {
            throw new UnsafeFileException(
                $"the {what} {path} belongs to user id {status.Owner}, not to you (user id {me}): use a folder of your own with {option}, " +
                $"or `chown {me} {path}` if it is yours");
        }

        if (status.WritableByOthers)
        {
            throw new UnsafeFileException(
                $"the {what} {path} can be written by other users (mode {Convert.ToString(status.Permissions, 8)}), who could replace its files: " +
                $"run `chmod go-w {path}`, or use another folder with {option}");
        }

        return status;
    }

    /// <summary>Makes renames and new names in the folder survive a power cut (fsync of the folder).</summary>
    public static void Sync(string path)
    {
        int fd;
        try
        {
            fd = PrivateFile.OpenDescriptor(path, Posix.ReadOnly | Posix.Directory | Posix.CloseOnExec, 0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return;
        }

        // Some file systems (and FUSE mounts) refuse fsync on folders; the rename is still atomic there.
        Posix.Fsync(fd);
        Posix.Close(fd);
    }
}
