/** inputPhoneCall#1e36fded: how every phone.* method after requestCall names the call. */
export interface InputPhoneCall {
  _: 'inputPhoneCall';
  id: bigint;
  access_hash: bigint;
}

/** inputUser#f21158c6: the user phone.requestCall calls. */
export interface InputUser {
  _: 'inputUser';
  user_id: bigint;
  access_hash: bigint;
}

/** dataJSON#7d748d04: a JSON document as a string (custom_parameters, saveCallDebug). */
export interface DataJSON {
  _: 'dataJSON';
  data: string;
}
