using System.Runtime.CompilerServices;

namespace Xoscar.Orleans.Tests.Infrastructure;

/// <summary>A test that needs a Redis server: skipped, with the reason shown, where <c>redis-server</c> is not installed.</summary>
public sealed class RedisFactAttribute([CallerMemberName] string test = "", [CallerFilePath] string file = "")
    : ConditionalFactAttribute(RedisServer.Missing, test, file);
