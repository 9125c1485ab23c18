return await Q2Google.Cli.CliApp.RunAsync(args);
