namespace Xoscar.Orleans.Bench;

/// <summary>How long each side is measured; <c>--quick</c> keeps the whole run well under a minute.</summary>
public sealed record BenchSettings(int Rounds, TimeSpan Window, TimeSpan WarmUp)
{
    public static BenchSettings Full { get; } = new(Rounds: 7, Window: TimeSpan.FromMilliseconds(500), WarmUp: TimeSpan.FromSeconds(2));

    public static BenchSettings Quick { get; } = new(Rounds: 3, Window: TimeSpan.FromMilliseconds(200), WarmUp: TimeSpan.FromMilliseconds(1500));
}
