using Xoscar.Orleans.Runtime;
using Xunit;

namespace Xoscar.Orleans.Tests;

/// <summary>The stateful actor's queue on its own: the order of turns and room for accepted tells.</summary>
public sealed class ActorMailboxTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Turns_are_granted_in_the_order_they_were_asked_for()
    {
        var mailbox = new ActorMailbox(capacity: 10);
        await mailbox.EnterAsync();
        var second = mailbox.EnterAsync().AsTask();
        var third = mailbox.EnterAsync().AsTask();

        mailbox.Exit();

        await second.WaitAsync(Bound);
        Assert.False(third.IsCompleted);
        mailbox.Exit();
        await third.WaitAsync(Bound);
    }

    [Fact]
    public async Task Group_waits_until_the_queue_has_room_for_all_of_it()
    {
        var mailbox = new ActorMailbox(capacity: 3);
        await mailbox.EnterAsync();
        _ = mailbox.EnterAsync();
        _ = mailbox.EnterAsync();

        var group = mailbox.WaitForRoomAsync(2).AsTask();
        Assert.False(group.IsCompleted);
        mailbox.Exit();

        await group.WaitAsync(Bound);
    }

    [Fact]
    public async Task Cancelled_wait_for_room_takes_no_room_and_later_callers_get_it()
    {
        var mailbox = new ActorMailbox(capacity: 2);
        await mailbox.EnterAsync();
        _ = mailbox.EnterAsync();
        _ = mailbox.EnterAsync();
        using var cancel = new CancellationTokenSource();
        var group = mailbox.WaitForRoomAsync(2, cancel.Token).AsTask();
        var single = mailbox.WaitForRoomAsync(1).AsTask();

        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => group.WaitAsync(Bound));
        Assert.False(single.IsCompleted);
        mailbox.Exit();

        await single.WaitAsync(Bound);
    }

    [Fact]
    public async Task Group_larger_than_the_queue_gets_in_once_the_queue_is_empty()
    {
        var mailbox = new ActorMailbox(capacity: 2);
        await mailbox.EnterAsync();
        _ = mailbox.EnterAsync();

        var group = mailbox.WaitForRoomAsync(5).AsTask();
        Assert.False(group.IsCompleted);
        mailbox.Exit();

        await group.WaitAsync(Bound);
    }
}
