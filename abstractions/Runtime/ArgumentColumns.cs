using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;
using Orleans.Serialization.Invocation;

namespace Xoscar.Orleans.Runtime;

/// <summary>
/// Turns the arguments of many calls to one method into typed columns, one array per parameter: 1000 calls of
/// <c>Add(int)</c> become one <c>int[1000]</c>, read without boxing.
/// </summary>
/// <remarks>
/// Orleans' generated requests keep argument <c>i</c> in a field <c>arg{i}</c> of the parameter's type; a reader
/// compiled once per request type reads it directly. A request type without such fields is read through
/// <see cref="IInvokable.GetArgument"/>. Cancellation tokens do not travel in a batch: their column is null.
/// </remarks>
internal static class ArgumentColumns
{
    private static readonly ConcurrentDictionary<Type, IColumnReader?[]> Readers = new();

    /// <summary>The columns of <paramref name="calls"/>, which are requests of one type.</summary>
    public static Column?[] Of(IInvokable[] calls)
    {
        var readers = Readers.GetOrAdd(calls[0].GetType(), static (type, sample) => CreateReaders(type, sample), calls[0]);
        var columns = new Column?[readers.Length];
        for (var j = 0; j < readers.Length; j++) columns[j] = readers[j] is { } reader ? new Column(reader.Read(calls)) : null;
        return columns;
    }

    private static IColumnReader?[] CreateReaders(Type requestType, IInvokable sample)
    {
        var parameters = sample.GetMethod().GetParameters();
        var readers = new IColumnReader?[sample.GetArgumentCount()];
        for (var j = 0; j < readers.Length; j++)
        {
            var type = parameters[j].ParameterType;
            if (type == typeof(CancellationToken)) continue;
            var field = requestType.GetField($"arg{j}", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic);
            var request = Expression.Parameter(typeof(IInvokable), "request");
            Expression read = field is not null && field.FieldType == type
                ? Expression.Field(Expression.Convert(request, requestType), field)
                : Expression.Convert(Expression.Call(request, typeof(IInvokable).GetMethod(nameof(IInvokable.GetArgument))!, Expression.Constant(j)), type);
            var reader = Expression.Lambda(typeof(Func<,>).MakeGenericType(typeof(IInvokable), type), read, request).Compile();
            readers[j] = (IColumnReader)Activator.CreateInstance(typeof(ColumnReader<>).MakeGenericType(type), reader)!;
        }

        return readers;
    }

    private interface IColumnReader
    {
        Array Read(IInvokable[] calls);
    }

    private sealed class ColumnReader<T>(Func<IInvokable, T> read) : IColumnReader
    {
        public Array Read(IInvokable[] calls)
        {
            var column = new T[calls.Length];
            for (var i = 0; i < column.Length; i++) column[i] = read(calls[i]);
            return column;
        }
    }
}
