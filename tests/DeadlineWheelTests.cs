using Xoscar.Orleans.Runtime;
using Xunit;

namespace Xoscar.Orleans.Tests;

/// <summary>The hashed timer wheel behind the slow-call warnings: items come out at their time, never before.</summary>
public sealed class DeadlineWheelTests
{
    private readonly DeadlineWheel<string> _wheel = new(tickMs: 10, slots: 8);

    private List<string> TakeDue(long nowMs)
    {
        var due = new List<string>();
        _wheel.TakeDue(nowMs, due);
        return due;
    }

    [Fact]
    public void An_item_comes_out_at_its_time_and_not_a_tick_before()
    {
        _wheel.Add(1_005, "a");

        Assert.Empty(TakeDue(1_000));
        Assert.Empty(TakeDue(1_004));
        Assert.Equal(["a"], TakeDue(1_005));
        Assert.Equal(0, _wheel.Count);
    }

    [Fact]
    public void An_item_due_more_than_a_turn_ahead_waits_for_its_turn()
    {
        _wheel.Add(0, "start");
        _wheel.Add(250, "later");   // the wheel turns every 80 ms

        Assert.Equal(["start"], TakeDue(0));
        for (var now = 10; now < 250; now += 10) Assert.Empty(TakeDue(now));
        Assert.Equal(["later"], TakeDue(250));
    }

    [Fact]
    public void An_item_added_when_already_due_comes_out_at_the_next_take()
    {
        TakeDue(1_000);
        _wheel.Add(990, "late");

        Assert.Equal(["late"], TakeDue(1_001));
    }

    [Fact]
    public void A_clock_that_jumps_past_a_whole_turn_takes_every_item_due_and_keeps_the_others()
    {
        _wheel.Add(1_000, "a");
        _wheel.Add(1_030, "b");
        _wheel.Add(5_000, "c");
        TakeDue(990);

        Assert.Equal(["a", "b"], TakeDue(2_000).Order());
        Assert.Equal(1, _wheel.Count);
    }

    [Fact]
    public void Removed_items_never_come_out()
    {
        _wheel.Add(100, "gone");
        _wheel.Add(100, "kept");

        _wheel.RemoveAll(item => item == "gone");

        Assert.Equal(["kept"], TakeDue(100));
        Assert.False(_wheel.Any(item => item == "gone"));
    }
}
