namespace Xoscar.Orleans.Bench;

/// <summary>How long each side is measured, and which rows; <c>--quick</c> keeps the whole run well under a minute.</summary>
public sealed record BenchSettings(int Rounds, TimeSpan Window, TimeSpan WarmUp)
{
    public static BenchSettings Full { get; } = new(Rounds: 7, Window: TimeSpan.FromMilliseconds(500), WarmUp: TimeSpan.FromSeconds(2));

    public static BenchSettings Quick { get; } = new(Rounds: 3, Window: TimeSpan.FromMilliseconds(200), WarmUp: TimeSpan.FromMilliseconds(1500));

    /// <summary>The rows to measure (<c>--only a,b</c>); all when null.</summary>
    public IReadOnlySet<string>? Only { get; init; }

    /// <summary>Whether row <paramref name="name"/> is measured in this run.</summary>
    public bool Includes(string name) => Only is null || Only.Contains(name);
}
