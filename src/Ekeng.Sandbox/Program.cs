// The EKENG sandbox: see README.md here and docs/WIRE-CONTRACT.md.
return await Ekeng.Sandbox.Hosting.SandboxHost.Run(args);
