{
  description = "Stand-in for the part of nixpkgs crateflake's generated flakes use (offline tests only)";
  outputs = { self }: {
    legacyPackages.x86_64-linux = import ./. { system = "x86_64-linux"; };
  };
}
