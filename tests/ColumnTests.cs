using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Xoscar.Orleans.Runtime;
using Xunit;

namespace Xoscar.Orleans.Tests;

/// <summary>How a batch's argument and result columns cross the wire.</summary>
public sealed class ColumnTests
{
    private static readonly Serializer Wire = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();

    public static TheoryData<Array> Columns() => new()
    {
        new[] { 0, 1, -1, int.MaxValue, int.MinValue },
        new[] { 0.5, double.NaN, -1e300 },
        new[] { true, false, true },
        new[] { 'x', 'é' },
        new long[0],
        new[] { "a", null, "" },
        new[] { (1, "one"), (2, "two") },
    };

    [Theory]
    [MemberData(nameof(Columns))]
    public void Column_arrives_equal_with_its_element_type(Array values)
    {
        var arrived = Wire.Deserialize<Column>(Wire.SerializeToArray(new Column(values)))!.Values;

        Assert.Equal(values.GetType(), arrived.GetType());
        Assert.Equal(values.Cast<object?>(), arrived.Cast<object?>());
    }

    [Fact]
    public void Primitive_column_travels_as_its_bytes_not_a_field_per_element()
    {
        var values = Enumerable.Repeat(int.MaxValue, 1000).ToArray();

        var column = Wire.SerializeToArray(new Column(values)).Length;
        var plain = Wire.SerializeToArray(values).Length;

        Assert.InRange(column, 4000, 4100);
        Assert.True(plain > column, $"int[1000] alone took {plain} bytes, the column {column}");
    }

    [Fact]
    public void Primitive_column_with_a_partial_element_is_refused_naming_its_type()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            new ColumnConverter().ConvertFromSurrogate(new ColumnSurrogate { Primitive = typeof(int), Bytes = new byte[6] }));

        Assert.Contains("Int32", error.Message);
    }
}
