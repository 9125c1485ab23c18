using System.Globalization;
using System.Text;

namespace Q2Google.Cli;

/// <summary>
/// Makes text from the outside world (file names above all) safe to print for people: a name holding ESC could
/// recolour or rewrite the terminal, one holding a newline could forge a line of output. Control characters are
/// written as <c>\n</c>, <c>\t</c>, <c>\r</c> or <c>\xNN</c> / <c>\uNNNN</c>. NDJSON output needs none of this:
/// the JSON writer escapes them itself.
/// </summary>
internal static class TerminalText
{
    public static string Escape(string? text, bool keepNewlines = false)
    {
        if (text is null) return "";
        var clean = true;
        foreach (var c in text)
        {
            if (IsControl(c) && !(keepNewlines && c == '\n'))
            {
                clean = false;
                break;
            }
        }

        if (clean) return text;
        var builder = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (!IsControl(c) || (keepNewlines && c == '\n'))
            {
                builder.Append(c);
                continue;
            }

            builder.Append(c switch
            {
                '\n' => @"\n",
                '\t' => @"\t",
                '\r' => @"\r",
                < '\u0100' => "\\x" + ((int)c).ToString("x2", CultureInfo.InvariantCulture),
                _ => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
            });
        }

        return builder.ToString();
    }

    /// <summary>C0 and C1 controls and DEL, plus the Unicode line and paragraph separators and bidi overrides that can disguise a name.</summary>
    private static bool IsControl(char c) =>
        c < ' ' || c is >= '\u007f' and <= '\u009f' || c is '\u2028' or '\u2029' || c is >= '\u202a' and <= '\u202e' || c is >= '\u2066' and <= '\u2069';
}
