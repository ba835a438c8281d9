using System.Globalization;
using System.Text;

namespace Xoscar.Orleans.Runtime;

/// <summary>
/// Quotes a value a caller passed, fit for an error message or a log line: control characters escaped (a newline
/// cannot forge a log line), and a long value cut short with its length.
/// </summary>
internal static class PrintableText
{
    private const int Shown = 64;

    /// <summary><paramref name="value"/> in single quotes, escaped and shortened.</summary>
    public static string Quote(string value)
    {
        var text = new StringBuilder("'");
        foreach (var c in value.Length <= Shown ? value : value[..Shown])
        {
            if (c == '\'' || c == '\\') text.Append('\\').Append(c);
            else if (IsUnprintable(c)) text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            else text.Append(c);
        }

        text.Append('\'');
        if (value.Length > Shown) text.Append(CultureInfo.InvariantCulture, $"… ({value.Length} characters)");
        return text.ToString();
    }

    /// <summary>Whether <paramref name="c"/> is a control character or breaks a line (U+2028, U+2029).</summary>
    public static bool IsUnprintable(char c) =>
        char.IsControl(c) || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;
}
