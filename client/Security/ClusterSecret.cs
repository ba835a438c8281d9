using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Xoscar.Orleans;

/// <summary>Cluster secrets: what every connection of a cluster proves it holds (<see cref="XoscarOptions.ClusterSecret"/>).</summary>
public static class ClusterSecret
{
    /// <summary>The shortest secret accepted: a shorter one could be guessed.</summary>
    public const int MinimumLength = 16;

    /// <summary>A new random secret: 256 bits, URL-safe base64 (43 characters).</summary>
    public static string Generate() => Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>Checks a secret given by the user; the message never quotes it.</summary>
    /// <exception cref="ArgumentException">It is shorter than <see cref="MinimumLength"/> or holds white space or control characters.</exception>
    internal static void Check(string secret, string argument)
    {
        if (secret.Length < MinimumLength || secret.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            throw new ArgumentException(
                $"The cluster secret must be at least {MinimumLength} characters without white space ({secret.Length} given); ClusterSecret.Generate() makes one.", argument);
        }
    }

    /// <summary>The key the handshake proves possession of: that of the secret in <paramref name="services"/>' <see cref="XoscarOptions"/>.</summary>
    /// <exception cref="InvalidOperationException">No secret is set (the options' validation at start says so first).</exception>
    internal static byte[] KeyOf(IServiceProvider services) =>
        Encoding.UTF8.GetBytes(services.GetRequiredService<IOptions<XoscarOptions>>().Value.ClusterSecret
            ?? throw new InvalidOperationException("XoscarOptions.ClusterSecret is not set."));

    /// <summary>Why the options' secret cannot be used, or null when it can.</summary>
    internal static string? Problem(XoscarOptions options)
    {
        if (options.ClusterSecret is null)
        {
            return "XoscarOptions.ClusterSecret is not set: every silo and client of an Xoscar.Orleans cluster proves the cluster's secret on each connection. " +
                   "Give all of them the same secret (ClusterSecret.Generate() makes one; keep it out of source code, command lines and environment variables); see docs/security.md.";
        }

        try
        {
            Check(options.ClusterSecret, nameof(XoscarOptions.ClusterSecret));
            return null;
        }
        catch (ArgumentException error)
        {
            return error.Message;
        }
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>Fails the start of a silo or client with Xoscar whose cluster secret is missing or too weak, saying so.</summary>
internal sealed class ClusterSecretRequired : IValidateOptions<XoscarOptions>
{
    public ValidateOptionsResult Validate(string? name, XoscarOptions options) =>
        ClusterSecret.Problem(options) is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
}
