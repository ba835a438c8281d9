using Xunit;

namespace Xoscar.Orleans.Tests.Infrastructure;

/// <summary>A test that needs a Redis server: skipped, with the reason shown, where <c>redis-server</c> is not installed.</summary>
public sealed class RedisFactAttribute : FactAttribute
{
    public RedisFactAttribute()
    {
        if (RedisServer.Missing is { } reason) Skip = reason;
    }
}
