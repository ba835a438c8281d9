using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Orleans.Connections.Security;
using Xoscar.Orleans.Security;

namespace Xoscar.Orleans;

/// <summary>
/// TLS on every connection of a cluster — pool to pool and client to pool — with mutual authentication: each side
/// presents a certificate and accepts only a trusted one. Without <see cref="AuthorityPath"/>, the trusted certificate
/// is this one (every pool and client holds the cluster's certificate, self-signed or not); with it, any certificate
/// issued by that authority (one certificate per host). Host names are not checked: pools are addressed by IP, and
/// trust comes from the certificate itself.
/// </summary>
public sealed class PoolTls
{
    /// <summary>
    /// The environment variable <c>xoscar-pool</c> reads the certificate's password from: a command line shows its
    /// arguments to every user of the machine.
    /// </summary>
    internal const string PasswordVariable = "XOSCAR_TLS_PASSWORD";

    /// <summary>TLS with the certificate and private key in the PKCS#12 (.pfx) file at <paramref name="certificatePath"/>.</summary>
    /// <param name="certificatePath">The certificate file; its key must allow server and client authentication (or name no usage).</param>
    /// <param name="certificatePassword">The file's password, or null for none.</param>
    public PoolTls(string certificatePath, string? certificatePassword = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(certificatePath);
        CertificatePath = Path.GetFullPath(certificatePath);
        CertificatePassword = certificatePassword;
    }

    /// <summary>The PKCS#12 (.pfx) file with this side's certificate and private key, as a full path.</summary>
    public string CertificatePath { get; }

    /// <summary>The certificate file's password, or null.</summary>
    public string? CertificatePassword { get; }

    /// <summary>
    /// A certificate authority (PEM or DER file): peers are trusted when their certificate chains to it. Null (the
    /// default): peers are trusted only when they present the very certificate of <see cref="CertificatePath"/>.
    /// </summary>
    public string? AuthorityPath
    {
        get;
        init => field = value is null ? null : Path.GetFullPath(value);
    }

    /// <summary>
    /// Writes a new self-signed certificate with its key to <paramref name="path"/> (PKCS#12) and returns TLS with it:
    /// one certificate for a whole cluster, to copy to each of its hosts and clients (ECDSA P-256, for server and client
    /// authentication, valid for <paramref name="validity"/>, a year by default).
    /// </summary>
    /// <param name="path">The .pfx file to write, readable by its owner alone (0600); an existing file is replaced.</param>
    /// <param name="password">The file's password, or null for none.</param>
    /// <param name="subject">The certificate's subject name.</param>
    /// <param name="validity">How long it is valid from now.</param>
    public static PoolTls CreateSelfSigned(string path, string? password = null, string subject = "CN=xoscar-cluster", TimeSpan? validity = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ServerAuthentication), new Oid(ClientAuthentication)], false));
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now + (validity ?? TimeSpan.FromDays(365)));
        OwnerOnlyFiles.Write(path, certificate.Export(X509ContentType.Pfx, password));   // 0600: it holds the cluster's private key
        return new PoolTls(path, password);
    }

    /// <summary>The enhanced key usages a pool's certificate needs: it is a server to its callers and a client of other pools.</summary>
    internal const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";

    /// <inheritdoc cref="ServerAuthentication"/>
    internal const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";

    /// <summary>Reads the certificate (and the authority), naming the file and what is wrong with it.</summary>
    /// <exception cref="ArgumentException">A file is missing or unreadable, the password is wrong, or the certificate has no private key.</exception>
    internal (X509Certificate2 Certificate, X509Certificate2? Authority) Load()
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(CertificatePath, CertificatePassword);
        }
        catch (Exception error) when (error is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"TLS certificate {CertificatePath} cannot be read as a PKCS#12 (.pfx) file with the password given: {error.Message}", nameof(CertificatePath), error);
        }

        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            throw new ArgumentException($"TLS certificate {CertificatePath} has no private key; a pool needs one to prove it holds the certificate.", nameof(CertificatePath));
        }

        if (AuthorityPath is null) return (certificate, null);
        try
        {
            return (certificate, X509CertificateLoader.LoadCertificateFromFile(AuthorityPath));
        }
        catch (Exception error) when (error is CryptographicException or IOException or UnauthorizedAccessException)
        {
            certificate.Dispose();
            throw new ArgumentException($"TLS authority {AuthorityPath} cannot be read as a certificate (PEM or DER): {error.Message}", nameof(AuthorityPath), error);
        }
    }

    /// <summary>Sets Orleans' TLS options for this side: its certificate, a certificate required of the peer, and the trust rule.</summary>
    internal void Configure(TlsOptions options)
    {
        var (certificate, authority) = Load();
        options.LocalCertificate = certificate;
        options.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.RemoteCertificateValidation = authority is null
            ? (remote, _, _) => remote.RawDataMemory.Span.SequenceEqual(certificate.RawDataMemory.Span)
            : (remote, _, _) => IssuedBy(remote, authority);
    }

    private static bool IssuedBy(X509Certificate2 remote, X509Certificate2 authority)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;   // a cluster's own authority publishes no revocation list
        return chain.Build(remote);
    }

    /// <summary>The certificate file (and authority); never the password.</summary>
    public override string ToString() => AuthorityPath is null ? $"TLS with {CertificatePath}" : $"TLS with {CertificatePath}, trusting {AuthorityPath}";
}
