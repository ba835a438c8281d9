using System.Globalization;
using System.Text.Json;

namespace Xoscar.Orleans.Bench;

/// <summary>
/// The regression guard (<c>--compare previous.json</c>): each row of this run against the same row of an earlier
/// run's <c>--json</c> file, flagging a row more than 10% worse — lower for rates, higher for times. Compares values;
/// the ratio to raw Orleans, measured side by side, is the steadier figure on a noisy machine, and is shown too.
/// </summary>
public static class BenchComparison
{
    private const double Tolerance = 0.10;
    private static readonly HashSet<string> LowerIsBetter = new(StringComparer.Ordinal) { "ms", "s", "us" };

    /// <summary>Prints the comparison and returns how many rows got worse by more than the tolerance.</summary>
    public static int Print(IReadOnlyList<BenchRow> rows, string previousPath)
    {
        var previous = JsonSerializer.Deserialize<List<Stored>>(File.ReadAllText(previousPath)) ?? [];
        var byName = previous.Where(p => p.name is not null).ToDictionary(p => p.name!, StringComparer.Ordinal);
        Console.WriteLine();
        Console.WriteLine($"against {previousPath}:");
        Console.WriteLine($"{"name",-30} {"before",12} {"now",12} {"change",8} {"ratio before",13} {"ratio now",10}");
        var worse = 0;
        foreach (var row in rows)
        {
            if (!byName.TryGetValue(row.Name, out var before) || before.value == 0) continue;
            var change = row.Value / before.value - 1;
            var regressed = LowerIsBetter.Contains(row.Unit) ? change > Tolerance : change < -Tolerance;
            if (regressed) worse++;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{row.Name,-30} {before.value,12:G6} {row.Value,12:G6} {change,8:+0.0%;-0.0%} {before.ratio,13:F2} {row.Ratio,10:F2}{(regressed ? "  ✗ worse by more than 10%" : "")}"));
        }

        return worse;
    }

    // A row as --json wrote it.
    private sealed record Stored(string? name, string? unit, double value, double baseline, double ratio);
}
