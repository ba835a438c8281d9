using System.Collections.Concurrent;
using System.Reflection;

namespace Xoscar.Orleans.Runtime;

/// <summary>How logs and metrics name an actor's method: <c>Interface.Method</c>, made once per method.</summary>
internal static class MethodNames
{
    private static readonly ConcurrentDictionary<MethodInfo, string> Names = new(ReferenceEqualityComparer.Instance);

    /// <summary><c>Interface.Method</c> for <paramref name="method"/>.</summary>
    public static string Of(MethodInfo method) =>
        Names.TryGetValue(method, out var name) ? name : Names.GetOrAdd(method, static m => $"{m.DeclaringType?.Name}.{m.Name}");
}
