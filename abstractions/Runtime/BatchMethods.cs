using System.Collections.Concurrent;
using System.Reflection;

namespace Xoscar.Orleans.Runtime;

/// <summary>The batch implementations of one actor class, by the interface method each one batches.</summary>
internal sealed class BatchMethods
{
    private static readonly ConcurrentDictionary<Type, BatchMethods> ByActorClass = new();

    private readonly Dictionary<MethodInfo, BatchMethod> _byMethod;

    private BatchMethods(Dictionary<MethodInfo, BatchMethod> byMethod) => _byMethod = byMethod;

    /// <summary>Whether the class has no batch implementation (the common case, checked on every call).</summary>
    public bool IsEmpty => _byMethod.Count == 0;

    /// <summary>The batch implementations of <paramref name="actorClass"/>, found once.</summary>
    /// <exception cref="InvalidOperationException">A <see cref="BatchOfAttribute"/> names no extensible method, or has the wrong signature.</exception>
    public static BatchMethods For(Type actorClass) => ByActorClass.GetOrAdd(actorClass, Discover);

    /// <summary>The batch implementation of <paramref name="interfaceMethod"/>, if the class has one.</summary>
    public bool TryGet(MethodInfo interfaceMethod, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out BatchMethod? batch) =>
        _byMethod.TryGetValue(interfaceMethod, out batch);

    private static BatchMethods Discover(Type actorClass)
    {
        var byMethod = new Dictionary<MethodInfo, BatchMethod>(ReferenceEqualityComparer.Instance);
        foreach (var implementation in actorClass.GetMethods(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            if (implementation.GetCustomAttribute<BatchOfAttribute>() is not { } batchOf) continue;
            var singles = actorClass.GetInterfaces()
                .Where(typeof(IActor).IsAssignableFrom)
                .SelectMany(i => i.GetMethods())
                .Where(m => m.Name == batchOf.Method && m.IsDefined(typeof(ExtensibleAttribute), true))
                .ToList();
            if (singles.Count == 0)
            {
                throw new InvalidOperationException(
                    $"{actorClass.Name}.{implementation.Name} is [BatchOf(\"{batchOf.Method}\")], but no interface method of {actorClass.Name} " +
                    $"named {batchOf.Method} is marked [Extensible].");
            }

            foreach (var single in singles) byMethod[single] = BatchMethod.Bind(implementation, single);
        }

        return new BatchMethods(byMethod);
    }
}
