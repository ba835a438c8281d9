using System.Globalization;

namespace Xoscar.Orleans.Runtime;

/// <summary>Byte counts in words for messages: <c>512 B</c>, <c>1.5 KiB</c>, <c>8 GiB</c>.</summary>
internal static class Sizes
{
    private static readonly string[] Units = ["B", "KiB", "MiB", "GiB", "TiB"];

    public static string Of(long bytes)
    {
        var value = (double)bytes;
        var unit = 0;
        while (Math.Abs(value) >= 1024 && unit < Units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{value:0.##} {Units[unit]}");
    }
}
