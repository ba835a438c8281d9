using System.Collections.Concurrent;
using System.Reflection;

namespace Xoscar.Orleans.Runtime;

/// <summary>How an incoming call relates to a stateful actor's lock.</summary>
internal enum CallKind : byte
{
    /// <summary>A method of the actor's interface: runs under the lock.</summary>
    Locked,
    /// <summary>A method marked <see cref="ReleasesLockAttribute"/>: runs under the lock and may release it while it awaits.</summary>
    ReleasesLock,
    /// <summary>A method marked <see cref="NoLockAttribute"/>: runs without the lock.</summary>
    NoLock,
    /// <summary>A runtime control call (<see cref="IActorControl"/>): manages locking itself.</summary>
    Control,
    /// <summary>An Orleans system call (extensions, cancellation): never locked.</summary>
    System,
}

/// <summary>Classifies methods once and caches the answer; this runs on every call.</summary>
internal static class CallKinds
{
    private static readonly ConcurrentDictionary<MethodInfo, CallKind> Cache = new(ReferenceEqualityComparer.Instance);

    public static CallKind Of(MethodInfo method) =>
        Cache.TryGetValue(method, out var kind) ? kind : Cache.GetOrAdd(method, Classify);

    /// <summary>Whether calls of this kind take a stateful actor's lock.</summary>
    public static bool TakesLock(this CallKind kind) => kind <= CallKind.ReleasesLock;

    private static CallKind Classify(MethodInfo method)
    {
        var declaring = method.DeclaringType;
        if (declaring == typeof(IActorControl)) return CallKind.Control;
        if (declaring == typeof(IAsyncEnumerableGrainExtension))
        {
            // A streaming method produces each step under the lock, as Xoscar takes it per item; ending a
            // stream early (DisposeAsync) must not wait for the lock.
            return method.Name is nameof(IAsyncEnumerableGrainExtension.StartEnumeration) or nameof(IAsyncEnumerableGrainExtension.MoveNext)
                ? CallKind.Locked
                : CallKind.System;
        }

        if (declaring is null || !typeof(IActor).IsAssignableFrom(declaring)) return CallKind.System;
        if (method.IsDefined(typeof(NoLockAttribute), inherit: true)) return CallKind.NoLock;
        return method.IsDefined(typeof(ReleasesLockAttribute), inherit: true) ? CallKind.ReleasesLock : CallKind.Locked;
    }
}
