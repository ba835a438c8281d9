using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Xoscar.Orleans.Tests.Infrastructure;

/// <summary>Certificates made for the TLS tests, written to a folder of their own: self-signed ones, an authority and ones it issued.</summary>
public sealed class TestCertificates : IDisposable
{
    public const string Password = "pool-secret";

    private readonly string _folder = Directory.CreateTempSubdirectory("xoscar-tls-").FullName;

    /// <summary>A self-signed certificate with its key, as a .pfx file protected by <see cref="Password"/>.</summary>
    public string SelfSigned(string name) => PoolTls.CreateSelfSigned(Path.Combine(_folder, name + ".pfx"), Password, "CN=" + name).CertificatePath;

    /// <summary>A certificate authority: its certificate file (DER, no key) and the authority itself, to issue with.</summary>
    public (string Path, X509Certificate2 Authority) Authority(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var authority = Request(name, key, authority: true).CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(2));
        var path = Path.Combine(_folder, name + ".cer");
        File.WriteAllBytes(path, authority.Export(X509ContentType.Cert));
        return (path, authority);
    }

    /// <summary>A certificate issued by <paramref name="authority"/>, with its key, as a .pfx file protected by <see cref="Password"/>.</summary>
    public string IssuedBy(X509Certificate2 authority, string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serial = RandomNumberGenerator.GetBytes(8);
        using var issued = Request(name, key, authority: false).Create(authority, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1), serial);
        using var withKey = issued.CopyWithPrivateKey(key);
        var path = Path.Combine(_folder, name + ".pfx");
        File.WriteAllBytes(path, withKey.Export(X509ContentType.Pfx, Password));
        return path;
    }

    /// <summary>A file that is not a certificate.</summary>
    public string NotACertificate()
    {
        var path = Path.Combine(_folder, "not-a-certificate.pfx");
        File.WriteAllText(path, "hello");
        return path;
    }

    private static CertificateRequest Request(string name, ECDsa key, bool authority)
    {
        var request = new CertificateRequest("CN=" + name, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(authority, false, 0, true));
        if (authority)
        {
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        }
        else
        {
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
                [new Oid(PoolTls.ServerAuthentication), new Oid(PoolTls.ClientAuthentication)], false));
        }

        return request;
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
