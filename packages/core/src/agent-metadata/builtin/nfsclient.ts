// Meta-data of rgmanager's `nfsclient`: one export line (client and options) of the path of
// the nfsexport above it.
export const nfsclientMetadataXml = `<?xml version="1.0"?>
<resource-agent name="nfsclient" version="quorate 1">
  <version>1.0</version>
  <shortdesc lang="en">NFS client access</shortdesc>
  <longdesc lang="en">Exports the path of the nfsexport above it to one host, netgroup, network or wildcard, with the given export options.</longdesc>
  <parameters>
    <parameter name="name" primary="1" unique="1">
      <shortdesc lang="en">Name</shortdesc>
      <longdesc lang="en">The name services refer to this client entry by.</longdesc>
      <content type="string"/>
    </parameter>
    <parameter name="target" required="1">
      <shortdesc lang="en">Client</shortdesc>
      <longdesc lang="en">Who may mount: a host name, @netgroup, address/prefix or wildcard such as *.example.com.</longdesc>
      <content type="string"/>
    </parameter>
    <parameter name="path" inherit="path">
      <shortdesc lang="en">Exported path</shortdesc>
      <longdesc lang="en">Directory exported, taken from the nfsexport above.</longdesc>
      <content type="string" default=""/>
    </parameter>
    <parameter name="options">
      <shortdesc lang="en">Export options</shortdesc>
      <longdesc lang="en">Options of the export line, for example ro or rw,no_root_squash.</longdesc>
      <content type="string" default=""/>
    </parameter>
    <parameter name="fsid">
      <shortdesc lang="en">File system id</shortdesc>
      <longdesc lang="en">fsid export option, so clients keep their file handles when the export moves. Empty: none.</longdesc>
      <content type="string" default=""/>
    </parameter>
    <parameter name="allow_recover" reconfig="1">
      <shortdesc lang="en">Recover in place</shortdesc>
      <longdesc lang="en">Re-add a lost export line instead of failing the service.</longdesc>
      <content type="boolean" default="1"/>
    </parameter>
    <parameter name="service_name">
      <shortdesc lang="en">Owning service</shortdesc>
      <longdesc lang="en">Name of the service whose lock recovery covers this client.</longdesc>
      <content type="string" default=""/>
    </parameter>
    <parameter name="use_cache" reconfig="1">
      <shortdesc lang="en">Cache lookups</shortdesc>
      <longdesc lang="en">Cache the resolution of the client name between status checks.</longdesc>
      <content type="boolean" default="0"/>
    </parameter>
  </parameters>
  <actions>
    <action name="start" timeout="90s"/>
    <action name="stop" timeout="5s"/>
    <action name="recover" timeout="90s"/>
    <action name="status" interval="1m" timeout="5s"/>
    <action name="monitor" interval="1m" timeout="5s"/>
    <action name="meta-data" timeout="5s"/>
    <action name="validate-all" timeout="30s"/>
  </actions>
</resource-agent>
`;
