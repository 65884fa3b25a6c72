namespace Ekeng.Sandbox.Tests;

/// <summary>A sandbox whose SMS codes live 2 s and may be resent after 2 s.</summary>
public sealed class ShortTimingsFixture() : SandboxFixture(["--sms-lifetime", "00:00:02", "--resend-interval", "00:00:02"]);
