using System.Diagnostics;

namespace Q2Google.Auth;

/// <summary>
/// Opens the system browser with <c>xdg-open</c> (Linux, only when a display exists) or <c>open</c> (macOS).
/// On a NAS over SSH there is neither, and the user copies the URL instead.
/// </summary>
public sealed class SystemBrowser(Func<string, string?> environment) : IOAuthBrowser
{
    public bool TryOpen(Uri url)
    {
        string? opener = null;
        if (OperatingSystem.IsMacOS()) opener = "open";
        else if (OperatingSystem.IsLinux() && (environment("DISPLAY") is { Length: > 0 } || environment("WAYLAND_DISPLAY") is { Length: > 0 })) opener = "xdg-open";
        if (opener is null || FindOnPath(opener) is not { } path) return false;

        try
        {
            var start = new ProcessStartInfo(path)
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
            };
            start.ArgumentList.Add(url.AbsoluteUri);
            using var process = Process.Start(start);
            return process is not null;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return false;
        }
    }

    private string? FindOnPath(string name) =>
        (environment("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}
