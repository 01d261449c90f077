import { Metadata, type CallOptions, type ServiceError as GrpcServiceError } from "@grpc/grpc-js";

export type UnaryMethod<Request, Response> = (
  request: Request,
  metadata: Metadata,
  options: Partial<CallOptions>,
  callback: (error: GrpcServiceError | null, response: Response) => void,
) => unknown;

/**
 * Calls a method of a generated grpc-js client as a promise, always with a
 * deadline: an outgoing call without one can hang for as long as the peer does.
 */
export function callUnary<Request, Response>(
  client: object,
  method: UnaryMethod<Request, Response>,
  request: Request,
  deadline: number,
): Promise<Response> {
  return new Promise((resolve, reject) => {
    method.call(client, request, new Metadata(), { deadline }, (error, response) => (error ? reject(error) : resolve(response)));
  });
}
