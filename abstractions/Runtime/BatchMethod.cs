using System.Collections;
using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;
using Orleans.Serialization.Invocation;

namespace Xoscar.Orleans.Runtime;

/// <summary>
/// One <see cref="BatchOfAttribute"/> method of an actor class, bound to the interface method it batches:
/// turns a batch of captured calls into its argument list, calls it, and returns one result per call.
/// </summary>
internal sealed class BatchMethod
{
    private static readonly ConcurrentDictionary<Type, Func<object, Task<object?>>> Awaiters = new();

    private readonly MethodInfo _implementation;
    private readonly Type _elementType;
    private readonly int _arity;
    private readonly Func<object?[], object> _element;
    private readonly bool _hasResult;

    private BatchMethod(MethodInfo implementation, Type elementType, int arity, bool hasResult)
    {
        _implementation = implementation;
        _elementType = elementType;
        _arity = arity;
        _hasResult = hasResult;
        _element = arity == 1 ? static args => args[0]! : TupleFactory(elementType);
    }

    /// <summary>Binds <paramref name="implementation"/> to <paramref name="single"/>, or says why it cannot.</summary>
    public static BatchMethod Bind(MethodInfo implementation, MethodInfo single)
    {
        var parameters = single.GetParameters().Where(p => p.ParameterType != typeof(CancellationToken)).Select(p => p.ParameterType).ToArray();
        var element = parameters.Length == 1 ? parameters[0] : TupleType(parameters);
        var expected = typeof(IReadOnlyList<>).MakeGenericType(element);
        var actual = implementation.GetParameters();
        if (actual.Length != 1 || actual[0].ParameterType != expected)
        {
            throw new InvalidOperationException(
                $"Batch implementation {implementation.DeclaringType?.Name}.{implementation.Name} of {single.DeclaringType?.Name}.{single.Name} " +
                $"must take one parameter of type {Describe(expected)}.");
        }

        var hasResult = single.ReturnType.IsGenericType;
        return new BatchMethod(implementation, element, parameters.Length, hasResult);
    }

    /// <summary>Runs the batch implementation on <paramref name="actor"/> for <paramref name="calls"/>.</summary>
    /// <exception cref="InvalidOperationException">The implementation returned a different number of results than calls.</exception>
    public async Task<object?[]> InvokeAsync(object actor, IReadOnlyList<IInvokable> calls)
    {
        var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(_elementType), calls.Count)!;
        var args = new object?[_arity];
        foreach (var call in calls)
        {
            for (var i = 0; i < _arity; i++) args[i] = call.GetArgument(i);
            list.Add(_element(args));
        }

        object? returned;
        try
        {
            returned = _implementation.Invoke(actor, [list]);
        }
        catch (TargetInvocationException wrapper) when (wrapper.InnerException is { } error)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
            throw;
        }

        var value = returned is null ? null : await Awaiter(returned.GetType())(returned);
        if (!_hasResult) return new object?[calls.Count];
        var results = (value as IEnumerable ?? throw new InvalidOperationException($"Batch implementation {_implementation.Name} returned no results."))
            .Cast<object?>().ToArray();
        if (results.Length != calls.Count)
        {
            throw new InvalidOperationException($"Batch implementation {_implementation.Name} returned {results.Length} results for {calls.Count} calls.");
        }

        return results;
    }

    // Task, Task<T>, ValueTask, ValueTask<T> or a plain value, awaited and unwrapped to its result.
    private static Func<object, Task<object?>> Awaiter(Type type) => Awaiters.GetOrAdd(type, static type =>
    {
        if (typeof(Task).IsAssignableFrom(type))
        {
            var result = type.IsGenericType ? type.GetProperty(nameof(Task<int>.Result)) : null;
            return async task =>
            {
                await (Task)task;
                return result?.GetValue(task);
            };
        }

        if (type == typeof(ValueTask)) return static async task => { await (ValueTask)task; return null; };
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ValueTask<>))
        {
            var asTask = type.GetMethod(nameof(ValueTask<int>.AsTask))!;
            var inner = Awaiter(asTask.ReturnType);
            return task => inner(asTask.Invoke(task, null)!);
        }

        return static value => Task.FromResult<object?>(value);
    });

    private static Type TupleType(Type[] items) => items.Length switch
    {
        0 => typeof(ValueTuple),
        2 => typeof(ValueTuple<,>).MakeGenericType(items),
        3 => typeof(ValueTuple<,,>).MakeGenericType(items),
        4 => typeof(ValueTuple<,,,>).MakeGenericType(items),
        5 => typeof(ValueTuple<,,,,>).MakeGenericType(items),
        6 => typeof(ValueTuple<,,,,,>).MakeGenericType(items),
        7 => typeof(ValueTuple<,,,,,,>).MakeGenericType(items),
        _ => throw new NotSupportedException("Batch implementations support single methods of up to 7 parameters."),
    };

    private static Func<object?[], object> TupleFactory(Type tupleType)
    {
        var args = Expression.Parameter(typeof(object?[]), "args");
        var items = tupleType.GetGenericArguments();
        var constructor = tupleType.GetConstructor(items)!;
        var values = items.Select((t, i) => Expression.Convert(Expression.ArrayIndex(args, Expression.Constant(i)), t));
        return Expression.Lambda<Func<object?[], object>>(Expression.Convert(Expression.New(constructor, values), typeof(object)), args).Compile();
    }

    private static string Describe(Type type) =>
        type.IsGenericType ? $"{type.Name[..type.Name.IndexOf('`')]}<{string.Join(", ", type.GetGenericArguments().Select(Describe))}>" : type.Name;
}
