// One action of a conversion plan, typed by its kind: each kind carries exactly
// the fields its handler (src/steps/convert/) reads, so no handler has to
// assert that an argv or a path is there. Pure data, journaled with the plan.

/** A command run in another GZ to get a file's content (hn-netfile, cat /usbkey/config, updates-imgadm list). */
export interface SourceCommand {
  host: string;
  argv: string[];
}

interface Base {
  id: string;
  /** Hostname of the GZ it runs in (HTTP calls: where the console runs). */
  host: string;
  summary: string;
}

/** A command in `host`'s GZ. */
interface Command extends Base {
  argv: string[];
}

/** A command that leaves (or removes) the file `path`. */
interface FileCommand extends Command {
  path: string;
}

export interface MkdirAction extends FileCommand {
  kind: 'mkdir';
}

export interface FetchSdcadmAction extends FileCommand {
  kind: 'fetch-sdcadm';
  /** The latest sdcadm image, when the running build has none on the updates server. */
  source: SourceCommand;
  /** The file with the running build, and the list that finds its image (BUILDSTAMP replaced). */
  stamp?: { path: string; argv: string[] };
}

export interface UsbkeyMountAction extends FileCommand {
  kind: 'usbkey-mount';
}

export interface UsbkeyUnmountAction extends Command {
  kind: 'usbkey-unmount';
}

export interface WriteBaseAction extends FileCommand {
  kind: 'write-base';
}

/** Writes `path` from what `source` prints (checked or edited on the way). */
interface WriteFromSource extends FileCommand {
  source: SourceCommand;
}

/** networking.json from hn-netfile, checked to be JSON with an admin nictag. */
export interface WriteNetfileAction extends WriteFromSource {
  kind: 'write-netfile';
}

/** The new headnode's config: this headnode's, with the target's hostname and admin NIC. */
export interface WriteConfigAction extends WriteFromSource {
  kind: 'write-config';
}

export interface PrepareServerAction extends Command {
  kind: 'prepare-server';
}

export interface RemoveFileAction extends FileCommand {
  kind: 'remove-file';
}

export interface RebootAction extends Command {
  kind: 'reboot';
}

/** A wait: the HTTP call is what an operator would poll by hand. */
export interface WaitHeadnodeAction extends Base {
  kind: 'wait-headnode';
  http: { method: 'GET'; url: string };
}

/** A new core zone on the target: an sdcadm command, or a SAPI CreateInstance. */
export type CreateInstanceAction = Base & { kind: 'create-instance'; service: string } & (
    | { argv: string[]; http?: undefined }
    | {
        http: {
          method: 'POST';
          url: string;
          body: { service_uuid: string; params: { alias: string; server_uuid: string } };
        };
        argv?: undefined;
      }
  );

export interface WaitInstanceAction extends Base {
  kind: 'wait-instance';
  service: string;
  http: { method: 'GET'; url: string };
}

/** Every field some kind carries: the kinds without one read it as undefined, so a plan's reader may ask any action for it. */
type Field = 'argv' | 'http' | 'path' | 'service' | 'source' | 'stamp';
type Closed<T> = T & { [K in Exclude<Field, keyof T>]?: undefined };

export type ConvertAction =
  | Closed<MkdirAction>
  | Closed<FetchSdcadmAction>
  | Closed<UsbkeyMountAction>
  | Closed<WriteBaseAction>
  | Closed<UsbkeyUnmountAction>
  | Closed<WriteNetfileAction>
  | Closed<WriteConfigAction>
  | Closed<PrepareServerAction>
  | Closed<RemoveFileAction>
  | Closed<RebootAction>
  | Closed<WaitHeadnodeAction>
  | Closed<CreateInstanceAction>
  | Closed<WaitInstanceAction>;

export type ConvertActionKind = ConvertAction['kind'];

/** The action type of one kind. */
export type ConvertActionOf<K extends ConvertActionKind> = Extract<ConvertAction, { kind: K }>;
